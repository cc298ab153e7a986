from collections import Counter, defaultdict

def make_text(n):
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa"]
    lines = []
    for i in range(n):
        ws = [words[(i * 7 + j * 3) % 10] + ("" if (i + j) % 4 else str(j)) for j in range(i % 9 + 2)]
        prefix = "# " if i % 10 == 0 else ("  " if i % 3 == 0 else "")
        lines.append(prefix + " ".join(ws) + ("  " if i % 5 == 0 else ""))
    return "\n".join(lines)

text = make_text(12000)
counts = Counter()
by_first = defaultdict(list)
lengths = defaultdict(int)
comments = 0
for line in text.splitlines():
    s = line.strip()
    if s.startswith("#"):
        comments += 1
        continue
    if not s:
        continue
    ws = s.split()
    counts.update(ws)
    by_first[ws[0][0]].append(len(ws))
    for w in ws:
        lengths[len(w)] += 1
    if line.endswith("  "):
        lengths[-1] += 1
top = counts.most_common(5)
caps = " ".join(w.capitalize() for w, _ in top)
print(comments, top, caps)
print(sorted((k, sum(v), len(v)) for k, v in by_first.items()))
print(sorted(lengths.items()))
rev = ",".join(w[::-1].upper() for w in sorted(counts)[:8])
print(rev, text.count("alpha"), text.find("kappa7"), text.replace("eta", "ETA")[:50].split(" "))
