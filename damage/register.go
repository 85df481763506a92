package damage

import (
	"math"
	"slices"
)

// The registration search range, from how people re-take a picture of a parked vehicle: they
// stand roughly where they stood, hold the phone roughly level and frame roughly the same.
const (
	maxShift = 0.17 // of each side; a little more than the ±15 % promised, so the edge of the range still has a peak
	maxScale = 0.15 // ±, around the ratio of the two pictures' long sides
	maxAngle = 5.0  // degrees, ±

	topSide      = 48   // the coarsest pyramid level has a long side at most this
	fineSide     = 320  // registration stops at the first level whose long side is at most this
	maxPoints    = 6000 // sample points per evaluation while refining
	topCandidate = 6    // coarse hypotheses refined, so one misleading coarse peak cannot win alone
)

// similarity maps a point p of the before picture to the after picture in work coordinates:
// q = s·R(th)·(p − cb) + ca + t, with s = exp(ls). The centres are those of level 0.
type similarity struct {
	tx, ty, ls, th float64
}

// level is one pyramid level of both pictures: gradients of the lightly blurred pictures,
// which correlate across exposure changes where raw intensities would not.
type level struct {
	shift    int // coordinates are level-0 coordinates divided by 1<<shift
	agx, agy plane
	bgx, bgy plane
	cax, cay float64 // after centre at this level
	cbx, cby float64 // before centre at this level
	wa, ha   int     // after size at this level
}

func newLevel(a, b plane, shift int, ca, cb [2]float64) level {
	k := float64(int(1) << shift)
	l := level{shift: shift, wa: a.w, ha: a.h,
		cax: ca[0] / k, cay: ca[1] / k, cbx: cb[0] / k, cby: cb[1] / k}
	l.agx, l.agy = gradients(blur(a, 1))
	l.bgx, l.bgy = gradients(blur(b, 1))
	return l
}

// pyramid builds the levels from the first one whose long side is at most fineSide up to the
// coarsest; the finer levels are never searched, so they are not built.
func pyramid(a, b plane) []level {
	ca := [2]float64{float64(a.w) / 2, float64(a.h) / 2}
	cb := [2]float64{float64(b.w) / 2, float64(b.h) / 2}
	var ls []level
	for shift := 0; ; shift++ {
		if max(a.w, a.h) <= fineSide || min(a.w, a.h, b.w, b.h) < 32 {
			ls = append(ls, newLevel(a, b, shift, ca, cb))
		}
		if max(a.w, a.h) <= topSide || min(a.w, a.h, b.w, b.h) < 16 {
			return ls
		}
		a, b = half(a), half(b)
	}
}

// mapper returns the affine map from after positions to before positions at level l, and the
// rotation that brings before gradients into the after frame.
func (l *level) mapper(sim similarity) (m [6]float64, cos, sin float64) {
	k := float64(int(1) << l.shift)
	return inverseMap(sim, k, l.cax, l.cay, l.cbx, l.cby)
}

// inverseMap writes p = (1/s)·R(−th)·(q − ca − t/k) + cb as an affine map m of q, for
// coordinates divided by k; ca and cb are the centres at that scale.
func inverseMap(sim similarity, k, cax, cay, cbx, cby float64) (m [6]float64, cos, sin float64) {
	s := math.Exp(sim.ls)
	cos, sin = math.Cos(sim.th), math.Sin(sim.th)
	m[0], m[1] = cos/s, sin/s
	m[3], m[4] = -sin/s, cos/s
	ox, oy := -cax-sim.tx/k, -cay-sim.ty/k
	m[2] = m[0]*ox + m[1]*oy + cbx
	m[5] = m[3]*ox + m[4]*oy + cby
	return m, cos, sin
}

// score is the normalised correlation of gradient vectors between the after picture and the
// mapped before picture over the sample points (every stride-th pixel), and the fraction of
// those points the before picture covers.
func (l *level) score(sim similarity, stride int) (corr, overlap float64) {
	m, cos, sin := l.mapper(sim)
	var num, sa, sb float64
	n, in := 0, 0
	for y := 1; y < l.ha-1; y += stride {
		v := float64(y) + 0.5
		for x := 1; x < l.wa-1; x += stride {
			n++
			u := float64(x) + 0.5
			pu := m[0]*u + m[1]*v + m[2]
			pv := m[3]*u + m[4]*v + m[5]
			bx, ok := l.bgx.sample(pu, pv)
			if !ok {
				continue
			}
			by, _ := l.bgy.sample(pu, pv)
			in++
			rx := cos*float64(bx) - sin*float64(by)
			ry := sin*float64(bx) + cos*float64(by)
			ax, ay := float64(l.agx.pix[y*l.wa+x]), float64(l.agy.pix[y*l.wa+x])
			num += ax*rx + ay*ry
			sa += ax*ax + ay*ay
			sb += rx*rx + ry*ry
		}
	}
	if n == 0 {
		return 0, 0
	}
	overlap = float64(in) / float64(n)
	if sa == 0 || sb == 0 {
		return 0, overlap
	}
	return num / math.Sqrt(sa*sb), overlap
}

// objective is what the search maximises: the correlation, worthless when the pictures
// barely overlap (a sliver of sky matches anything).
func objective(corr, overlap float64) float64 {
	if overlap < 0.35 {
		return -1
	}
	return corr
}

type candidate struct {
	sim   similarity
	score float64
}

// coarse tries every scale, angle and whole-pixel shift on the top level. For each scale and
// angle the before gradients are warped once onto a canvas larger than the after picture, so
// each shift is a plain dot product.
func coarse(l *level, nominal float64) []candidate {
	k := float64(int(1) << l.shift)
	mx := int(math.Ceil(maxShift * float64(l.wa)))
	my := int(math.Ceil(maxShift * float64(l.ha)))
	cw, ch := l.wa+2*mx, l.ha+2*my
	cgx, cgy, cm := newPlane(cw, ch), newPlane(cw, ch), newPlane(cw, ch)
	var all []candidate
	for si := -3; si <= 3; si++ {
		ls := math.Log(nominal) + float64(si)*math.Log1p(maxScale)/3
		for ai := -2; ai <= 2; ai++ {
			th := float64(ai) * maxAngle / 2 * math.Pi / 180
			m, cos, sin := l.mapper(similarity{ls: ls, th: th})
			for y := range ch {
				v := float64(y-my) + 0.5
				for x := range cw {
					u := float64(x-mx) + 0.5
					pu := m[0]*u + m[1]*v + m[2]
					pv := m[3]*u + m[4]*v + m[5]
					i := y*cw + x
					bx, ok := l.bgx.sample(pu, pv)
					if !ok {
						cgx.pix[i], cgy.pix[i], cm.pix[i] = 0, 0, 0
						continue
					}
					by, _ := l.bgy.sample(pu, pv)
					cgx.pix[i] = float32(cos)*bx - float32(sin)*by
					cgy.pix[i] = float32(sin)*bx + float32(cos)*by
					cm.pix[i] = 1
				}
			}
			for ty := -my; ty <= my; ty++ {
				for tx := -mx; tx <= mx; tx++ {
					var num, sa, sb, in float32
					for y := 1; y < l.ha-1; y++ {
						ci := (y-ty+my)*cw + mx - tx
						ai := y * l.wa
						for x := 1; x < l.wa-1; x++ {
							ax, ay := l.agx.pix[ai+x], l.agy.pix[ai+x]
							bx, by, w := cgx.pix[ci+x], cgy.pix[ci+x], cm.pix[ci+x]
							num += ax*bx + ay*by
							sa += w * (ax*ax + ay*ay)
							sb += bx*bx + by*by
							in += w
						}
					}
					corr := 0.0
					if sa > 0 && sb > 0 {
						corr = float64(num) / math.Sqrt(float64(sa)*float64(sb))
					}
					overlap := float64(in) / float64((l.wa-2)*(l.ha-2))
					all = append(all, candidate{
						sim:   similarity{tx: float64(tx) * k, ty: float64(ty) * k, ls: ls, th: th},
						score: objective(corr, overlap),
					})
				}
			}
		}
	}
	slices.SortFunc(all, func(a, b candidate) int { return -cmpFloat(a.score, b.score) })
	// Keep distinct peaks: neighbours of a peak are the same hypothesis seen twice.
	var best []candidate
	for _, c := range all {
		if len(best) == topCandidate {
			break
		}
		distinct := true
		for _, b := range best {
			if math.Abs(c.sim.tx-b.sim.tx) <= 1.5*k && math.Abs(c.sim.ty-b.sim.ty) <= 1.5*k &&
				math.Abs(c.sim.ls-b.sim.ls) < 0.06 && math.Abs(c.sim.th-b.sim.th) < 0.05 {
				distinct = false
				break
			}
		}
		if distinct {
			best = append(best, c)
		}
	}
	return best
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// refine climbs from c on level l, one parameter at a time, halving the steps when no move
// helps; steps start at one pixel of the level, so each finer level only polishes.
func refine(l *level, c candidate) candidate {
	k := float64(int(1) << l.shift)
	stride := 1
	for (l.wa/stride)*(l.ha/stride) > maxPoints {
		stride++
	}
	eval := func(s similarity) float64 { return objective(l.score(s, stride)) }
	best := c
	best.score = eval(c.sim)
	steps := [4]float64{k, k, 0.02, 0.01}
	for range 3 {
		for iter := 0; iter < 12; iter++ {
			moved := false
			for d := range 4 {
				for _, sign := range []float64{1, -1} {
					s := best.sim
					switch d {
					case 0:
						s.tx += sign * steps[0]
					case 1:
						s.ty += sign * steps[1]
					case 2:
						s.ls += sign * steps[2]
					case 3:
						s.th += sign * steps[3]
					}
					if !inRange(s, c.sim) {
						continue
					}
					if v := eval(s); v > best.score {
						best = candidate{sim: s, score: v}
						moved = true
					}
				}
			}
			if !moved {
				break
			}
		}
		for i := range steps {
			steps[i] /= 2
		}
	}
	return best
}

// inRange keeps the refinement near its coarse start and inside the promised range, so a
// climb cannot wander off to an absurd transform.
func inRange(s, start similarity) bool {
	return math.Abs(s.ls-start.ls) < 0.1 && math.Abs(s.th) <= (maxAngle+1.5)*math.Pi/180
}

// register finds the similarity that best maps b onto a (work planes) and returns it with the
// gradient correlation and overlap measured at the finest level searched.
func register(a, b plane) (similarity, float64, float64) {
	levels := pyramid(a, b) // levels[0] is the finest searched
	top := len(levels) - 1
	nominal := float64(max(a.w, a.h)) / float64(max(b.w, b.h))
	cands := coarse(&levels[top], nominal)
	for li := top - 1; li >= 0 && len(cands) > 0; li-- {
		for i := range cands {
			cands[i] = refine(&levels[li], cands[i])
		}
		slices.SortFunc(cands, func(x, y candidate) int { return -cmpFloat(x.score, y.score) })
		cands = cands[:max(1, len(cands)/2)]
	}
	if len(cands) == 0 {
		return similarity{}, 0, 0
	}
	corr, overlap := levels[0].score(cands[0].sim, 1)
	return cands[0].sim, corr, overlap
}
