def step(live):
    counts = {}
    for (x, y) in live:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    key = (x + dx, y + dy)
                    counts[key] = counts.get(key, 0) + 1
    return {cell for cell, n in counts.items() if n == 3 or (n == 2 and cell in live)}

live = {(x, y) for x in range(30) for y in range(30) if (x * 7 + y * 13) % 5 == 0 or (x * y) % 11 == 1}
history = []
for gen in range(250):
    live = step(live)
    history.append(len(live))
xs = [x for x, _ in live]
ys = [y for _, y in live]
box = (min(xs), min(ys), max(xs), max(ys))
pos = {}
for i, (a, b) in enumerate(sorted(live)):
    pos[(a % 4, b % 4)] = pos.get((a % 4, b % 4), 0) + i
print(history[:10], history[-3:], box, sorted(pos.items())[:5])
