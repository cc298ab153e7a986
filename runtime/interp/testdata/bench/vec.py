# Float math in small objects: method calls that construct objects (a particle simulation).
class Vec:
    def __init__(self, x: float, y: float):
        self.x = x
        self.y = y

    def add(self, o: "Vec") -> "Vec":
        return Vec(self.x + o.x, self.y + o.y)

    def scale(self, k: float) -> "Vec":
        return Vec(self.x * k, self.y * k)

    def dot(self, o: "Vec") -> float:
        return self.x * o.x + self.y * o.y


class Particle:
    def __init__(self, pos: Vec, vel: Vec):
        self.pos = pos
        self.vel = vel

    def step(self, dt: float) -> None:
        self.pos = self.pos.add(self.vel.scale(dt))
        if self.pos.x < 0.0 or self.pos.x > 100.0:
            self.vel = Vec(-self.vel.x, self.vel.y)
        if self.pos.y < 0.0 or self.pos.y > 100.0:
            self.vel = Vec(self.vel.x, -self.vel.y)


ps = [Particle(Vec(i * 1.5 % 100.0, i * 2.5 % 100.0), Vec(i % 7 - 3.0, i % 5 - 2.0)) for i in range(200)]
energy = 0.0
for t in range(3000):
    for p in ps:
        p.step(0.1)
    energy += ps[t % 200].vel.dot(ps[t % 200].vel)
cx = 0.0
cy = 0.0
for p in ps:
    cx += p.pos.x
    cy += p.pos.y
print(round(energy, 6), round(cx, 6), round(cy, 6))
