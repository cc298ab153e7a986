def pi_digits(n):
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    out = []
    while len(out) < n:
        if 4 * q + r - t < m * t:
            out.append(m)
            q, r, t, k, m, x = 10 * q, 10 * (r - m * t), t, k, (10 * (3 * q + r)) // t - 10 * m, x
        else:
            q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2
    return out

def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

d = pi_digits(1500)
f = fact(1500)
print("".join(map(str, d[:50])), sum(d), len(str(f)), str(f)[:20], f % (10**9 + 7), f.bit_length(), -f // 7 % 1000, (f >> 100) & 0xFFFF)
print(pow(2, 521) - 1 > 10**150, int(str(f)[:40]) * -3, divmod(-f, 10**30)[1] % 1000, abs(-(2**70)), (2**64) ** 3 == 2**192, hex(2**100), int("1" * 50) % 97)
