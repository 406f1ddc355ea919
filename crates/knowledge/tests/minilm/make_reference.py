#!/usr/bin/env python3
"""Writes reference.json: all-MiniLM-L6-v2 embeddings computed by sentence-transformers.

The parity test (crates/knowledge/tests/minilm.rs) requires our in-process
embedder to agree with these vectors (cosine >= 0.9999 for every sentence).

Run once, with the model directory in the sentence-transformers layout (the
README says where it comes from):

    python3 -m venv /tmp/st && /tmp/st/bin/pip install sentence-transformers
    HF_HUB_OFFLINE=1 /tmp/st/bin/python make_reference.py MODEL_DIR > reference.json
"""

import json
import sys

import sentence_transformers
from sentence_transformers import SentenceTransformer

LONG_ENGLISH = " ".join(
    [
        "The specification must describe every entity, its fields and its relations,",
        "the constraints that hold between them, the operations users perform,",
        "and the reasons behind each decision, so that a team that never took part",
        "in the conversation can still build the system and defend its choices.",
    ]
    * 12
)
LONG_CODE = "\n".join(
    f"fn handler_{i}(request: &Request) -> Result<Response, Error> {{ validate(request)?; store(request.id, {i}) }}"
    for i in range(40)
)
LONG_GERMAN = (
    "Die Anforderungen an das System umfassen Benutzerverwaltung, Rechteprüfung, "
    "Protokollierung und eine Schnittstelle für Drittanbieter, die über OAuth angebunden wird. "
) * 15

SENTENCES = [
    # Short and everyday.
    "Hello, world!",
    "What problem does your product solve?",
    "Users log in with an e-mail address and a password.",
    "The project owner can invite team members by e-mail.",
    "Specifications are versioned; only one version per key is current.",
    "A conflict arises when two specifications contradict each other.",
    "PostgreSQL stores the data in two databases.",
    "The knowledge base holds documents split into chunks.",
    "How many concurrent users should the system support?",
    "We need an audit trail of every administrative action.",
    "The mobile app must work offline and sync when a connection returns.",
    "Payments are processed through Stripe with monthly billing.",
    "Refresh tokens expire after thirty days.",
    "I am not sure yet; maybe the customers will tell us.",
    "Deploy on Kubernetes with three replicas behind a load balancer.",
    "The cat sat on the mat.",
    "A quick brown fox jumps over the lazy dog.",
    "Bananas are yellow and rich in potassium.",
    "Interest rates rose again this quarter.",
    "She plays the violin in a string quartet.",
    # Casing, punctuation, numbers, identifiers.
    "UPPER CASE TEXT SHOULD BE LOWERCASED BY THE TOKENIZER",
    "MiXeD cAsE wOrDs AnD x86_64 identifiers like user_id and HTTP2",
    "Version 2.3.1 was released on 2025-11-11 at 14:05 UTC (build #4812).",
    "!!! ??? ... --- *** ### @@@",
    "e-mail: someone@example.com, URL: https://example.com/path?query=1&x=2",
    "SELECT id, email FROM users WHERE is_active = true ORDER BY created_at DESC LIMIT 10;",
    "{\"key\": \"value\", \"list\": [1, 2, 3], \"nested\": {\"ok\": null}}",
    "3.14159 2.71828 1.41421 1.73205 0.57721",
    "tab\tseparated\tvalues\tand\nnew\nlines",
    "a",
    # Non-ASCII.
    "Café, naïve, façade, résumé, jalapeño, Straße, smørrebrød.",
    "Die Benutzer melden sich mit ihrer E-Mail-Adresse an.",
    "Les utilisateurs se connectent avec leur adresse électronique.",
    "Los usuarios inician sesión con su correo electrónico.",
    "Пользователи входят в систему по адресу электронной почты.",
    "Οι χρήστες συνδέονται με τη διεύθυνση ηλεκτρονικού ταχυδρομείου.",
    "用户使用电子邮件地址登录系统。",
    "ユーザーはメールアドレスでログインします。",
    "사용자는 이메일 주소로 로그인합니다.",
    "المستخدمون يسجلون الدخول بعنوان البريد الإلكتروني.",
    "משתמשים נכנסים עם כתובת דואר אלקטרוני.",
    "उपयोगकर्ता ईमेल पते से लॉग इन करते हैं।",
    "Emoji in text: 🚀 launch, ✅ done, ❌ failed, 👍🏽 thanks, 🇩🇪 flag",
    "Combining marks: e\u0301 vs \u00e9, and zero\u200bwidth spaces",
    "İstanbul, ǅemal, ΣΊΣΥΦΟΣ, ﬁne ligatures, ＦＵＬＬＷＩＤＴＨ letters",
    # Empty-ish.
    "",
    " ",
    "\n\n\t",
    ".",
    "\u00a0",
    # Long: past 256 tokens, so truncation decides the result.
    LONG_ENGLISH,
    LONG_CODE,
    LONG_GERMAN,
    "word " * 300,
    "🙂" * 400,
    # Just under and just over the limit around 254 word pieces.
    " ".join(["token"] * 254),
    " ".join(["token"] * 255),
]


def main() -> None:
    model_dir = sys.argv[1]
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, batch_size=16, convert_to_numpy=True, normalize_embeddings=True)
    out = {
        "model": "all-MiniLM-L6-v2",
        "produced_by": f"sentence-transformers {sentence_transformers.__version__}",
        "max_seq_length": model.max_seq_length,
        "sentences": [
            {"text": text, "embedding": [round(float(x), 8) for x in vector]}
            for text, vector in zip(SENTENCES, vectors)
        ],
    }
    # One sentence per line, so a change shows as a change of that line.
    head = {k: v for k, v in out.items() if k != "sentences"}
    lines = [json.dumps(s, ensure_ascii=False) for s in out["sentences"]]
    sys.stdout.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "sentences": [\n')
    sys.stdout.write(",\n".join(lines) + "\n]}\n")


if __name__ == "__main__":
    main()
