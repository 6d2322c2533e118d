#!/usr/bin/env python3
"""Deterministic Korean conference notes for hugi's benchmarks.

Writes the same sessions in two layouts so that hugi and Hugo build the same text:
  hugi  one Markdown file per event (ten sessions each), in the style of a real user's notes:
        `# 행사 후기`, `## Session 101 : 제목`, `###` subsections, line-by-line bullets, a table,
        fenced code, `**강조**는`, no front matter;
  hugo  one page per session with YAML front matter (title, date, tags), plus a site config and
        small layouts (list, single, taxonomy), so Hugo renders a page per session.

Usage: corpus.py --sessions 10000 --layout hugi --out DIR [--seed 7]
"""
import argparse
import os
import random

EVENTS = ["파이콘 한국", "러스트 밋업", "데브페스트", "드로이드나이츠", "인프콘", "우아콘", "FEConf",
          "JSConf Korea", "GopherCon Korea", "KubeCon 서울", "데이터 밋업", "스프링캠프"]
TECH = ["Django", "QuerySet", "Rust", "Tokio", "Kotlin", "Compose", "React", "TypeScript",
        "PostgreSQL", "Redis", "Kafka", "gRPC", "WebAssembly", "PyTorch", "Kubernetes", "Docker",
        "FastAPI", "Spark", "DuckDB", "eBPF", "Svelte", "Flutter", "Swift", "Go"]
WORDS = ["파이썬", "커뮤니티", "타입검사", "음성인식", "신경세포", "형변환", "쿼리셋", "캐싱", "배포",
         "성능", "최적화", "메모리", "동시성", "비동기", "테스트", "자동화", "모니터링", "장애", "복구",
         "보안", "인증", "컴파일러", "소유권", "수명", "인덱스", "검색", "형태소", "임베딩", "추론",
         "전처리", "시각화", "로그", "지표", "회고", "문서화", "코드리뷰", "리팩터링", "아키텍처",
         "마이그레이션", "스케줄러", "파이프라인", "데이터베이스", "트랜잭션", "렌더링", "컴포넌트"]
PARTICLES = ["은", "는", "이", "가", "을", "를", "의", "으로", "에서", "와", "도"]
ENDINGS = ["설명했다", "보여줬다", "강조했다", "비교했다", "측정했다", "개선했다", "소개했다",
           "중요하다", "어렵다", "빠르다", "필요하다", "가능하다"]
KINDS = ["Session 101", "Session 102", "Session 103", "Keynote", "Lightning Talk", "Tutorial"]


def sentence(rng):
    parts = []
    for _ in range(rng.randint(3, 7)):
        word = rng.choice(WORDS + TECH)
        parts.append(word + rng.choice(PARTICLES))
    parts.append(rng.choice(ENDINGS))
    return " ".join(parts)


def session_body(rng):
    lines = []
    for section in range(rng.randint(2, 4)):
        lines.append(f"### {rng.choice(WORDS)}와 {rng.choice(TECH)} {section + 1}")
        for _ in range(rng.randint(3, 8)):
            lines.append(f"- {sentence(rng)}")
        if rng.random() < 0.3:
            lines.append("-> " + sentence(rng))
        lines.append("")
    if rng.random() < 0.4:
        lines += ["|항목|이전|이후|", "|---|---|---|"]
        lines += [f"|{rng.choice(WORDS)}|{rng.randint(1, 99)}|{rng.randint(1, 99)}|" for _ in range(4)]
        lines.append("")
    if rng.random() < 0.3:
        lines += ["```python", f"def {rng.choice(['load', 'parse', 'run'])}(items):",
                  f"    # {sentence(rng)}", "    return [x for x in items if x]", "```", ""]
    lines.append(f"**{rng.choice(WORDS)}**는 {sentence(rng)}")
    return "\n".join(lines)


def sessions(count, seed):
    rng = random.Random(seed)
    for n in range(count):
        event = n // 10
        yield {
            "event": event,
            "event_title": f"{EVENTS[event % len(EVENTS)]} {2015 + event % 10} 후기 {event}",
            "date": f"{2015 + event % 10}-{1 + event % 12:02d}-{1 + event % 28:02d}",
            "kind": rng.choice(KINDS),
            "title": f"{rng.choice(TECH)}로 {rng.choice(WORDS)} {rng.choice(WORDS)} 개선하기 {n}",
            "tags": sorted({rng.choice(TECH), rng.choice(TECH)}),
            "body": session_body(rng),
        }


def write_hugi(items, out):
    os.makedirs(os.path.join(out, "content"), exist_ok=True)
    with open(os.path.join(out, "config.toml"), "w") as f:
        f.write('title = "벤치마크"\nbase_url = "https://example.org/"\n')
    current, handle = None, None
    for item in items:
        if item["event"] != current:
            if handle:
                handle.close()
            current = item["event"]
            name = f"{item['date']}-event-{current:05d}.md"
            handle = open(os.path.join(out, "content", name), "w")
            handle.write(f"# {item['event_title']}\n행사 메모.\n\n")
        handle.write(f"## {item['kind']} : {item['title']}\n태그: {', '.join(item['tags'])}\n{item['body']}\n\n")
    if handle:
        handle.close()


HUGO_LAYOUT = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ .Content }}{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a>{{ end }}</body></html>
"""
HUGO_LIST = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


def write_hugo(items, out):
    os.makedirs(os.path.join(out, "content", "sessions"), exist_ok=True)
    os.makedirs(os.path.join(out, "layouts", "_default"), exist_ok=True)
    with open(os.path.join(out, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://example.org/"\nlanguageCode = "ko"\ntitle = "벤치마크"\n'
                'disableKinds = ["RSS"]\n[markup.goldmark.renderer]\nhardWraps = true\n')
    for name, text in [("single.html", HUGO_LAYOUT), ("list.html", HUGO_LIST), ("taxonomy.html", HUGO_LIST),
                       ("term.html", HUGO_LIST)]:
        with open(os.path.join(out, "layouts", "_default", name), "w") as f:
            f.write(text)
    for n, item in enumerate(items):
        tags = ", ".join(f'"{t}"' for t in item["tags"])
        with open(os.path.join(out, "content", "sessions", f"s{n:06d}.md"), "w") as f:
            f.write(f"---\ntitle: \"{item['title']}\"\ndate: {item['date']}\ntags: [{tags}]\n---\n{item['body']}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--layout", choices=["hugi", "hugo"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    items = sessions(args.sessions, args.seed)
    (write_hugi if args.layout == "hugi" else write_hugo)(items, args.out)


if __name__ == "__main__":
    main()
