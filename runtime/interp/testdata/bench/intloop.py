# Int loops and arithmetic: while loops, modular arithmetic, a collatz search, gcd.
def collatz_len(n: int) -> int:
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


s = 0
i = 0
while i < 1000000:
    s += i * i % 7 - (i >> 3) + (i & 15)
    i += 1
print(s)
best = 0
best_n = 0
for n in range(1, 30000):
    c = collatz_len(n)
    if c > best:
        best = c
        best_n = n
print(best_n, best)
g = 0
for a in range(1, 300):
    for b in range(1, 300, 7):
        g += gcd(a * 7919, b * 104729)
print(g)
h = 1469598103
for k in range(200000):
    h = (h ^ k) * 16777619 % 4294967296
print(h)
