def build(depth, seed):
    if depth == 0:
        r = seed % 4
        if r == 0:
            return seed
        if r == 1:
            return "s" + str(seed % 97)
        if r == 2:
            return seed / 8
        return None
    if seed % 3 == 0:
        return [build(depth - 1, seed * 7 + i) for i in range(3)]
    return {"k" + str(i): build(depth - 1, seed * 5 + i) for i in range(3)}

def walk(x, stats):
    if isinstance(x, dict):
        stats["dict"] += 1
        for k, v in x.items():
            stats["keys"] += len(k)
            walk(v, stats)
    elif isinstance(x, list):
        stats["list"] += 1
        for v in x:
            walk(v, stats)
    elif isinstance(x, str):
        stats["str"] += len(x)
    elif isinstance(x, bool):
        stats["bool"] += 1
    elif isinstance(x, int):
        stats["int"] += x % 1000
    elif isinstance(x, float):
        stats["float"] += x
    else:
        stats["none"] += 1

def dump(x):
    if isinstance(x, dict):
        return "{" + ",".join('"' + k + '":' + dump(v) for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ",".join(dump(v) for v in x) + "]"
    if x is None:
        return "null"
    if isinstance(x, str):
        return '"' + x + '"'
    return repr(x)

def depth_of(x):
    if isinstance(x, dict):
        return 1 + max((depth_of(v) for v in x.values()), default=0)
    if isinstance(x, list):
        return 1 + max((depth_of(v) for v in x), default=0)
    return 0

total = {}
for seed in range(1, 9):
    t = build(8, seed)
    stats = {"dict": 0, "list": 0, "str": 0, "bool": 0, "int": 0, "float": 0.0, "none": 0, "keys": 0}
    walk(t, stats)
    s = dump(t)
    for k, v in stats.items():
        total[k] = total.get(k, 0) + v
    print(seed, len(s), s[:60], depth_of(t), hash(s) == hash(s))
print(sorted(total.items()))
