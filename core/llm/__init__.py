"""Classification and summaries by an LLM through the `openai` client (OpenAI, or any
OpenAI-compatible server: Ollama, vLLM, llama.cpp).

chat        one structured-output call: cached, bounded, retried, counted (`LLM`)
cache       answer caches keyed by a hash of the request (Redis, files, memory)
prompts     what every prompt is built from; classify_prompt, summary_prompt: the two calls
classifier  batched, id-based classification (`LLMClassifier`)
summariser  one validated, cited summary per section (`LLMSummariser`)
validate    is a summary answer usable: parts, citations, language
factory     the classify + summarise engine built from the settings
"""
