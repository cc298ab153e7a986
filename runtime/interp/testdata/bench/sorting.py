# Sorting with a key: lambdas, tuple keys, objects, reverse and stable sorts.
class Rec:
    def __init__(self, name: str, age: int, score: float):
        self.name = name
        self.age = age
        self.score = score


recs = [Rec("n" + str(i * 7919 % 10007), i * 31 % 90, (i * 17 % 1000) / 10.0) for i in range(40000)]
total = 0
for r in range(4):
    by_age = sorted(recs, key=lambda r: r.age)
    by_score = sorted(recs, key=lambda r: (-r.score, r.name))
    by_name = sorted(recs, key=lambda r: r.name, reverse=True)
    total += by_age[0].age + by_age[-1].age + len(by_score[0].name) + len(by_name[0].name)
print(total, by_score[0].name, by_score[-1].name, by_name[0].name)
nums = [(i * 7919) % 100003 for i in range(100000)]
nums.sort()
print(nums[0], nums[50000], nums[-1])
words = [str(i * 31 % 977) for i in range(30000)]
words.sort(key=len)
print(words[0], words[-1])
pairs = sorted([(i % 100, -i) for i in range(50000)])
print(pairs[0], pairs[-1])
