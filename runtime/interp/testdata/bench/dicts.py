# Dict and set updates with str keys: word counts, grouping, set membership.
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
counts = {}
for i in range(300000):
    w = words[i % 10] + str(i % 37)
    counts[w] = counts.get(w, 0) + 1
print(len(counts), counts["alpha0"], counts["kappa36"])
groups = {}
for k, v in counts.items():
    key = k[0]
    if key not in groups:
        groups[key] = []
    groups[key].append(v)
print(sorted((k, sum(v)) for k, v in groups.items()))
seen = set()
dups = 0
for i in range(300000):
    key = "k" + str(i * 7 % 50021)
    if key in seen:
        dups += 1
    else:
        seen.add(key)
print(len(seen), dups)
index = {}
for i in range(50000):
    index["id" + str(i)] = i
hits = 0
for i in range(0, 100000, 3):
    if ("id" + str(i)) in index:
        hits += index["id" + str(i)]
print(hits)
