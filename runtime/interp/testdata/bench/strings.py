# String building, formatting and methods.
out = ""
for i in range(60000):
    out += str(i % 10)
print(len(out), out[:20])
lines = []
for i in range(100000):
    lines.append(f"row {i:05d}: {i * 1.5:.2f} | {hex(i)} {'odd' if i % 2 else 'even'}")
text = "\n".join(lines)
print(len(text), lines[12345])
n_odd = 0
total = 0
for line in text.split("\n"):
    parts = line.split(" | ")
    if parts[1].endswith("odd"):
        n_odd += 1
    total += len(parts[0].upper().replace("ROW", "r").strip())
print(n_odd, total)
s = "The quick brown fox jumps over the lazy dog"
acc = 0
for i in range(100000):
    t = s.lower().replace("o", "0")
    acc += t.find("l") + t.count("0") + len(t.title()) + (1 if t.startswith("the") else 0)
print(acc)
print("{:>10}|{:<8}|{:^7}".format("right", "left", "mid"), "%d-%s-%.3f" % (42, "x", 3.14159))
