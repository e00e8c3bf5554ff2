"""Classification and summaries by an LLM through the `openai` client (OpenAI, or any
OpenAI-compatible server: Ollama, vLLM, llama.cpp).

chat            one JSON-answer call: cached, budgeted, retried, counted (`LLM`)
dialect         how a server takes structured output (learned), and reading JSON out of text
errors          what can go wrong, with the server's own message
budget          a build's allowance of LLM wall time and tokens
cache           answer caches keyed by a hash of the request (Redis, files, memory)
prompts         what every prompt is built from
classifier      batched, id-based classification (`LLMClassifier`)
summary_prompt  the summary call: its asks, schema and messages
asks            one call per section, or chunks of it for a small context window
validate        is a summary answer usable: shape, numbers, no links or markup, language
language        is a text in the digest's language
assemble        the five parts and their [n] marks, written by the code from a valid answer
summariser      one grounded summary per section (`LLMSummariser`)
factory         the classify + summarise engine built from the settings
"""
