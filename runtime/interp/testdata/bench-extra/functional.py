from functools import reduce, lru_cache
from itertools import accumulate, combinations, permutations, product, groupby, chain

@lru_cache(maxsize=None)
def partitions(n, k):
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return partitions(n - k, k) + partitions(n, k - 1)

def collatz_len(n):
    c = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        c += 1
    return c

nums = list(range(1, 3000))
prod_mod = reduce(lambda a, b: a * b % 1000003, nums, 1)
acc = list(accumulate(nums, lambda a, b: (a + b) % 997))
pairs = sum(1 for a, b in combinations(range(200), 2) if (a * b) % 7 == 3)
perms = sum(p[0] * p[1] - p[2] for p in permutations(range(8), 3))
grid = sum(x * y * z for x, y, z in product(range(20), repeat=3))
lens = sorted((collatz_len(n) for n in range(1, 30000)), reverse=True)
groups = [(k, len(list(g))) for k, g in groupby(sorted(n % 10 for n in lens))]
flat = list(chain.from_iterable([i] * (i % 4) for i in range(50)))
print(prod_mod, acc[-1], sum(acc), pairs, perms, grid)
print(partitions(120, 120), lens[:5], groups, len(flat), sum(flat))
print(list(map(lambda t: t[0] + t[1], zip(range(5), range(10, 15)))), list(filter(lambda v: v % 3 == 0, range(20))))
