import math

def matmul(a, b):
    n = len(a); m = len(b[0]); k = len(b)
    out = [[0.0] * m for _ in range(n)]
    for i in range(n):
        row = a[i]
        orow = out[i]
        for j in range(m):
            s = 0.0
            for t in range(k):
                s += row[t] * b[t][j]
            orow[j] = s
    return out

def energy(bodies):
    e = 0.0
    for i, b in enumerate(bodies):
        e += 0.5 * b[6] * (b[3] * b[3] + b[4] * b[4] + b[5] * b[5])
        for j in range(i + 1, len(bodies)):
            c = bodies[j]
            dx = b[0] - c[0]; dy = b[1] - c[1]; dz = b[2] - c[2]
            e -= b[6] * c[6] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e

def advance(bodies, dt, steps):
    n = len(bodies)
    for _ in range(steps):
        for i in range(n):
            b = bodies[i]
            for j in range(i + 1, n):
                c = bodies[j]
                dx = b[0] - c[0]; dy = b[1] - c[1]; dz = b[2] - c[2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * math.sqrt(d2))
                bm = b[6] * mag; cm = c[6] * mag
                b[3] -= dx * cm; b[4] -= dy * cm; b[5] -= dz * cm
                c[3] += dx * bm; c[4] += dy * bm; c[5] += dz * bm
        for b in bodies:
            b[0] += dt * b[3]; b[1] += dt * b[4]; b[2] += dt * b[5]

bodies = [[float(i), float(i * 2 % 5), float(i * 3 % 7), 0.01 * i, -0.02 * i, 0.005, 1.0 + i / 10] for i in range(5)]
print(f"{energy(bodies):.9f}")
advance(bodies, 0.001, 40000)
print(f"{energy(bodies):.9f}")
a = [[(i * j % 7) / 3.0 for j in range(40)] for i in range(40)]
b = [[(i + j) % 5 - 2.0 for j in range(40)] for i in range(40)]
c = matmul(a, b)
c = matmul(c, a)
print(round(sum(sum(r) for r in c), 6), max(max(r) for r in c), min(c[3]))
