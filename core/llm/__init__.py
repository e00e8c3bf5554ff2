"""Classification and summaries by an LLM through the `openai` client (OpenAI, or any
OpenAI-compatible server: Ollama, vLLM, llama.cpp).

client      one structured-output call: cached, bounded, retried, counted (`LLM`)
cache       answer caches keyed by a hash of the request (Redis, files, memory)
prompts     the messages and JSON schemas of each call
classifier  batched, id-based classification (`LLMClassifier`)
summariser  one validated, cited summary per section (`LLMSummariser`)
validate    is a summary answer usable: parts, citations, language
engine      the classify + summarise engine built from the settings
"""
