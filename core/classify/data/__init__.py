"""Package data of the offline classifier: labelled examples, their review, the Korean glossary."""
