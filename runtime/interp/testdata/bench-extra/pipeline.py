def numbers(n):
    for i in range(n):
        yield i * 2654435761 % 1000003

def windows(it, size):
    buf = []
    for v in it:
        buf.append(v)
        if len(buf) == size:
            yield tuple(buf)
            buf.pop(0)

def scaled(it, k):
    for w in it:
        yield sum(w) * k // len(w)

def take_while_small(it, limit):
    for v in it:
        if v > limit:
            return
        yield v

def chunks(it, n):
    chunk = []
    for v in it:
        chunk.append(v)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

def flatten(it):
    for c in it:
        yield from c

total = 0
mx = 0
cnt = 0
for v in scaled(windows(numbers(60000), 4), 3):
    total += v
    mx = max(mx, v)
    cnt += 1
small = list(take_while_small(numbers(10 ** 9), 999000))
sums = [sum(c) for c in chunks((x % 100 for x in numbers(40000)), 7)]
flat = sum(1 for v in flatten(chunks(range(30000), 9)) if v % 5 == 0)
gen = (x * x for x in range(50000) if x % 3)
print(total, mx, cnt, len(small), len(sums), sums[-1], flat, sum(gen), any(x > 999990 for x in numbers(50000)))
