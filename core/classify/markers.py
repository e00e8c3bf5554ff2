"""Words that make an item about AI on their own: "LLM", "ChatGPT", "인공지능", a model's name.

A title carrying one is AI whatever the semantic model says (on the labelled set, 112 of 155 AI
news titles carry one, 1 of 261 not-AI titles does). Acronyms match in capitals only ("AI", not
"ai" or "Ai"), and every word as a whole word: "AI" is not in "AIDS" or "Haiku".
"""

from __future__ import annotations

import re

from core.classify.hangul import Vocabulary

# Whole words, any case. Left out on purpose (they misfire in general tech news): "model"
# (data model), "prompt" (shell prompt), "embedding" (embedding Python), "tokenizer" (lexers),
# "quantization" (audio), "fine-tuning" (databases), "Nvidia" (drivers), "vision" (our vision).
_WORDS = (
    r"artificial intelligence|machine[- ]learning|deep[- ]learning|neural (?:net\w*)|"
    r"(?:large |small )?language models?|foundation models?|"
    r"(?:vision|multimodal|diffusion|reasoning|frontier|open[- ]weights?|AI) models?|"
    r"chat ?bots?|ChatGPT|GPT-?[\w.]*|OpenAI|Anthropic|Claude|Gemini|Copilot|DeepMind|"
    r"Hugging ?Face|Llama[\w.-]*|Mistral|Mixtral|Qwen[\w.-]*|DeepSeek|NotebookLM|Midjourney|"
    r"Stable Diffusion|diffusion models?|transformer models?|reinforcement learning|RLHF|"
    r"text-to-(?:image|video|speech)|(?:image|video|audio|music|speech) generation|"
    r"generative AI|(?:Claude )?\d(?:\.\d)? Sonnet|\d+-bit quantization|"
    r"prompt injection|prompt engineering|jailbreak\w*|agentic|AI agents?|coding agents?|"
    r"computer vision|self-driving|robotaxis?|humanoid robots?|humanoids|"
    # people whose names make the news about AI
    r"Hassabis|Sam Altman|LeCun|Geoffrey Hinton|Karpathy|Sutskever|Amodei|Fei-Fei Li"
)
# Whole words, capitals only.
_ACRONYMS = r"AI|AGI|LLMs?|VLMs?|MLLMs?|RAG|NLP|ML|NPU|TPU|GenAI"
# ASCII word boundaries: a Korean particle may follow ("AI가", "ChatGPT로"), or Korean precede
# ("오픈AI").
_PATTERN = re.compile(rf"(?<![A-Za-z0-9_-])(?:(?i:{_WORDS})|{_ACRONYMS})(?![A-Za-z0-9_])")
KOREAN = Vocabulary(
    "인공지능 에이아이 딥러닝 머신러닝 기계학습 신경망 생성형 언어모델 거대언어모델 챗봇 챗GPT "
    "챗지피티 오픈AI 오픈에이아이 에이전트 프롬프트 파인튜닝 미세조정 자율주행 휴머노이드 "
    "딥마인드 앤트로픽 클로드 제미나이 허사비스 올트먼 페이페이".split()
)


_KOREAN_PHRASES = re.compile(r"(?<![\uac00-\ud7a3])(?:언어 모델|생성형 AI|AI 모델)")


def markers(text: str) -> list[str]:
    """The AI markers in `text`, each once, in order."""
    found = [m.group(0) for m in _PATTERN.finditer(text)]
    found += KOREAN.find(text)
    found += _KOREAN_PHRASES.findall(text)
    return list(dict.fromkeys(found))
