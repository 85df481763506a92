package dupindex

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Benchmarks run at the sizes the server must handle. Each data set is built once per process
// (a 10 M skewed set takes several seconds to draw) and shared by the benchmarks that need it.
// Run them with: go test -run XXX -bench . -benchmem ./dupindex/

var (
	benchSizes = []int{1_000_000, 10_000_000}
	benchRadii = []int{4, 8, 10, 12}
	// The data sets: uniform hashes, and skewed ones (see skewed) searched two ways. "skewed"
	// queries are new photos of the clustered kind, most of them; "common" queries are new
	// photos near one of the very common hashes (black, blank), which match hundreds of
	// thousands of indexed photos and so measure the cost of the output.
	benchDists = []string{"uniform", "skewed", "common"}
)

type benchSet struct {
	es      []Entry
	x       *Index
	queries []uint64 // fresh hashes from the same distribution: new photos to check
	common  []uint64 // for the skewed set, fresh hashes near the very common ones
}

var benchSets sync.Map // "dist/size" → func() *benchSet (a sync.OnceValue)

func newGenerator(dist string, seed uint64) generator {
	if dist == "skewed" {
		return newSkewed(seed)
	}
	return newUniform(seed)
}

// loadSet returns the data set, building it and its index on first use.
func loadSet(b *testing.B, dist string, n int) *benchSet {
	if dist == "common" {
		dist = "skewed"
	}
	key := fmt.Sprintf("%s/%d", dist, n)
	f, _ := benchSets.LoadOrStore(key, sync.OnceValue(func() *benchSet {
		es := entries(newGenerator(dist, 1), n, 1)
		x := New()
		x.AddBatch(es)
		s := &benchSet{es: es, x: x}
		if dist == "uniform" {
			g := newUniform(2)
			for range 4096 {
				s.queries = append(s.queries, g.next())
			}
			return s
		}
		g := newSkewed(2)
		for len(s.queries) < 4096 || len(s.common) < 4096 {
			if h, common := g.draw(); common {
				s.common = append(s.common, h)
			} else {
				s.queries = append(s.queries, h)
			}
		}
		return s
	}))
	b.StopTimer()
	defer b.StartTimer()
	return f.(func() *benchSet)()
}

// queriesOf returns the queries of a data set.
func (s *benchSet) queriesOf(dist string) []uint64 {
	if dist == "common" {
		return s.common
	}
	return s.queries
}

func sizeName(n int) string { return fmt.Sprintf("%dM", n/1_000_000) }

// BenchmarkNear measures one search returning every match, for a query drawn from the same
// distribution as the index (a new photo, usually no replay). matches/op is the average number
// returned.
func BenchmarkNear(b *testing.B) {
	for _, dist := range benchDists {
		for _, n := range benchSizes {
			for _, r := range benchRadii {
				b.Run(fmt.Sprintf("%s/%s/r=%d", dist, sizeName(n), r), func(b *testing.B) {
					s := loadSet(b, dist, n)
					qs := s.queriesOf(dist)
					matches, i := 0, 0
					cpu := cpuTime()
					for b.Loop() {
						matches += len(s.x.Near(qs[i%len(qs)], r))
						i++
					}
					reportCPU(b, cpu, i)
					b.ReportMetric(float64(matches)/float64(i), "matches/op")
				})
			}
		}
	}
}

// BenchmarkNearFirst measures the replay check as the server makes it: stop at the nearest
// match, if any. On skewed data this is what keeps very common hashes cheap.
func BenchmarkNearFirst(b *testing.B) {
	for _, dist := range benchDists {
		for _, n := range benchSizes {
			for _, r := range benchRadii {
				b.Run(fmt.Sprintf("%s/%s/r=%d", dist, sizeName(n), r), func(b *testing.B) {
					s := loadSet(b, dist, n)
					qs := s.queriesOf(dist)
					found, i := 0, 0
					cpu := cpuTime()
					for b.Loop() {
						for range s.x.NearSeq(qs[i%len(qs)], r) {
							found++
							break
						}
						i++
					}
					reportCPU(b, cpu, i)
					b.ReportMetric(float64(found)/float64(i), "found/op")
				})
			}
		}
	}
}

// BenchmarkScan is the baseline the index replaces: compare the query with every hash, kept
// as compactly as possible (a []uint64 next to the refs).
func BenchmarkScan(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			s := loadSet(b, "uniform", n)
			b.StopTimer()
			hashes := make([]uint64, len(s.es))
			refs := make([]int64, len(s.es))
			for i, e := range s.es {
				hashes[i], refs[i] = e.Hash, e.Ref
			}
			b.StartTimer()
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				q := s.queries[i%len(s.queries)]
				var ms []Match
				for j, h := range hashes {
					if d := bits.OnesCount64(h ^ q); d <= 10 {
						ms = append(ms, Match{refs[j], d})
					}
				}
				i++
				_ = ms
			}
			reportCPU(b, cpu, i)
		})
	}
}

// BenchmarkAddBatch measures loading an empty index, as the server does at startup. B/entry is
// the index's memory divided by its entries (Stats.Bytes); heapB/entry is the same measured by
// the garbage collector, as a check.
func BenchmarkAddBatch(b *testing.B) {
	for _, dist := range []string{"uniform", "skewed"} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/%s", dist, sizeName(n)), func(b *testing.B) {
				s := loadSet(b, dist, n)
				var x *Index
				cpu := cpuTime()
				for b.Loop() {
					x = nil // let the previous index go before building the next
					x = New()
					x.AddBatch(s.es)
				}
				reportCPU(b, cpu, b.N)
				b.ReportMetric(float64(x.Stats().Bytes)/float64(n), "B/entry")
				b.ReportMetric(float64(x.Stats().Substrings), "substrings")
				b.StopTimer()
				before := heapAlloc()
				runtime.KeepAlive(x)
				x = nil
				b.ReportMetric(float64(before-heapAlloc())/float64(n), "heapB/entry")
			})
		}
	}
}

// cpuTime is the CPU time the process has used. Benchmarks report it per operation next to
// ns/op because wall time is unreliable on a shared machine: a search that waits for the CPU
// looks slower than it is.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(ops), "cpu-ns/op")
}

func heapAlloc() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// BenchmarkAdd measures single additions to an index of 1 M entries, rebuilds included (the
// timer stops only when the last background rebuild is done).
func BenchmarkAdd(b *testing.B) {
	s := loadSet(b, "uniform", 1_000_000)
	b.StopTimer()
	x := New()
	x.AddBatch(s.es)
	g := newUniform(3)
	b.StartTimer()
	i := int64(len(s.es))
	for b.Loop() {
		x.Add(i, g.next())
		i++
	}
	x.wait()
}

// BenchmarkNearTail measures the scan of a full tail (the entries added since the last
// rebuild), which every search pays on top of the frozen part.
func BenchmarkNearTail(b *testing.B) {
	x := New()
	x.minTail = 1 << 30
	g := newUniform(4)
	for i := range 16384 {
		x.Add(int64(i), g.next())
	}
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		x.Near(g.next(), 10)
		i++
	}
	reportCPU(b, cpu, i)
}

// BenchmarkAddBatchPaged measures loading an empty index page by page, 10 000 entries per
// AddBatch, as a caller reading the database in pages does; the timer runs until the last
// background rebuild is done.
func BenchmarkAddBatchPaged(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			s := loadSet(b, "uniform", n)
			cpu := cpuTime()
			for b.Loop() {
				x := New()
				for i := 0; i < len(s.es); i += 10_000 {
					x.AddBatch(s.es[i:min(i+10_000, len(s.es))])
				}
				x.wait()
			}
			reportCPU(b, cpu, b.N)
		})
	}
}

// BenchmarkNearSubstrings compares numbers of substrings on uniform hashes, which is what the
// adaptive choice (chooseSubstrings) is checked against.
func BenchmarkNearSubstrings(b *testing.B) {
	for _, n := range benchSizes {
		for _, m := range []int{3, 4, 5} {
			s := loadSet(b, "uniform", n)
			x := New(WithSubstrings(m))
			x.AddBatch(s.es)
			for _, r := range []int{4, 8, 12} {
				b.Run(fmt.Sprintf("%s/m=%d/r=%d", sizeName(n), m, r), func(b *testing.B) {
					i := 0
					cpu := cpuTime()
					for b.Loop() {
						x.Near(s.queries[i%len(s.queries)], r)
						i++
					}
					reportCPU(b, cpu, i)
				})
			}
		}
	}
}
