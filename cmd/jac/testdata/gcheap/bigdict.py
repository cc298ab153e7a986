d = {}
for i in range(2000000):
    d["k" + str(i)] = i
s = 0
for i in range(0, 2000000, 7):
    s += d["k" + str(i)]
for i in range(0, 2000000, 3):
    d["k" + str(i)] = -i
print(len(d), s, d["k3"])
