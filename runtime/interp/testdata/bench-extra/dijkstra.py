import heapq
from collections import deque

def make_graph(n):
    g = {}
    for i in range(n):
        g[i] = []
        for k in (1, 7, 31, 97):
            j = (i * k + k * k) % n
            if j != i:
                g[i].append((j, (i * 13 + j * 7) % 17 + 1))
    return g

def dijkstra(g, src):
    dist = {src: 0}
    pq = [(0, src)]
    while pq:
        d, u = heapq.heappop(pq)
        if d > dist.get(u, 1 << 60):
            continue
        for v, w in g[u]:
            nd = d + w
            if nd < dist.get(v, 1 << 60):
                dist[v] = nd
                heapq.heappush(pq, (nd, v))
    return dist

def bfs(g, src):
    seen = {src: 0}
    q = deque([src])
    while q:
        u = q.popleft()
        for v, _ in g[u]:
            if v not in seen:
                seen[v] = seen[u] + 1
                q.append(v)
    return seen

g = make_graph(6000)
tot = 0
far = 0
for s in range(0, 6000, 500):
    d = dijkstra(g, s)
    tot += sum(d.values())
    far = max(far, max(d.values()))
levels = bfs(g, 0)
hist = {}
for v in levels.values():
    hist[v] = hist.get(v, 0) + 1
print(tot, far, len(levels), sorted(hist.items()))
