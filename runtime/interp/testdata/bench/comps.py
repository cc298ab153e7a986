# Comprehensions and generators: list/dict/set comprehensions, generator functions and expressions.
def gen_squares(n: int):
    for i in range(n):
        yield i * i


def take_while_small(it, limit: int):
    for v in it:
        if v > limit:
            return
        yield v


total = 0
for r in range(150):
    xs = [x * 2 for x in range(10000) if x % 3 != 0]
    d = {x: x % 17 for x in xs[:2000]}
    s = {v for v in d.values()}
    total += len(xs) + sum(d.values()) + len(s)
print(total)
g = 0
for r in range(80):
    g += sum(gen_squares(10000))
    g += sum(x for x in range(10000) if x & 1)
print(g)
small = list(take_while_small(gen_squares(100000), 10 ** 8))
print(len(small), small[-1])
nested = [[i * j for j in range(50)] for i in range(2000)]
flat = [v for row in nested for v in row if v % 5 == 0]
print(len(flat), sum(flat))
print(any(v > 90000 for v in flat), all(v >= 0 for v in flat))
