# List indexing and slicing: a sieve, prefix sums, rotations, in-place swaps.
n = 1000000
sieve = [True] * (n + 1)
sieve[0] = False
sieve[1] = False
i = 2
while i * i <= n:
    if sieve[i]:
        j = i * i
        while j <= n:
            sieve[j] = False
            j += i
    i += 1
primes = [k for k in range(n + 1) if sieve[k]]
print(len(primes), primes[-1])
pre = [0] * (len(primes) + 1)
for k in range(len(primes)):
    pre[k + 1] = pre[k] + primes[k]
print(pre[-1], pre[len(pre) // 2])
xs = list(range(1000))
total = 0
for r in range(3000):
    xs = xs[7:] + xs[:7]
    total += xs[0] + xs[-1] + len(xs[100:200:3])
print(total)
arr = [(k * 7919) % 1009 for k in range(3000)]
for a in range(len(arr) - 1):
    if arr[a] > arr[a + 1]:
        arr[a], arr[a + 1] = arr[a + 1], arr[a]
print(arr[:5], arr[-5:], sum(arr[::2]))
