class Item:
    def __init__(self, id, name, weight):
        self.id = id; self.name = name; self.weight = weight
    def heavier(self, k):
        return Item(self.id, self.name, self.weight * k)
items = [Item(i, "n" + str(i % 1000), i * 0.5) for i in range(1000000)]
total = 0.0
for r in range(2):
    for i in range(0, 1000000, 2):
        items[i] = items[i].heavier(1.01)
for it in items:
    total += it.weight
print(len(items), round(total, 2))
