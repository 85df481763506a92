package damage

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// trial is one simulated pair of check-in photos with what Compare should find.
type trial struct {
	before, after *image.Gray
	truth         Transform
	damage        image.Rectangle // on the after picture; empty when nothing was painted
}

// sceneSet is the pool trials draw from: the shared real photos and generated car scenes.
func sceneSet(t testing.TB, cars int) []*image.Gray {
	t.Helper()
	var scenes []*image.Gray
	for _, name := range realPhotos {
		if g := realScene(t, name); g != nil {
			scenes = append(scenes, g)
		}
	}
	for i := range cars {
		scenes = append(scenes, carScene(uint64(i+1), baseSide, baseSide*3/4))
	}
	return scenes
}

// newTrial re-shoots scene with a random framing and camera; with kind ≥ 0 it first paints
// damage of that kind and size where the before view shows it away from the edges.
func newTrial(t testing.TB, scene *image.Gray, kind damageKind, size int, seed uint64) trial {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(kind+2)*31+uint64(size)))
	bw, bh := viewSize(scene)
	ox := float64(scene.Bounds().Dx()-bw) / 2
	oy := float64(scene.Bounds().Dy()-bh) / 2
	tr := reshoot(r, bw, bh)
	aw, ah := afterSize(r, bw, bh)
	damaged := scene
	var box image.Rectangle
	if kind >= 0 {
		c := toCanvas(scene)
		var x, y float64
		for range 60 {
			x = float64(bw) * (0.25 + 0.5*r.Float64())
			y = float64(bh) * (0.25 + 0.5*r.Float64())
			if kind.suits(c.mean(int(x+ox), int(y+oy), 6)) {
				break
			}
		}
		sb := c.paint(kind, size, x+ox, y+oy, r)
		damaged = c.gray()
		box = forwardRect(tr, bw, bh, aw, ah, sb.Sub(image.Pt(int(ox), int(oy))))
	}
	before := camera{gain: 1, gamma: 1, noise: 1.5, quality: 85}.shoot(t, view(scene, bw, bh, Transform{Scale: 1}), r)
	after := randomCamera(r).shoot(t, view(damaged, aw, ah, tr), r)
	return trial{before: before, after: after, truth: tr, damage: box}
}

// transformError is how far res.Transform is from the truth, in pixels at the picture's
// corners: one number for shift, scale and rotation together.
func transformError(tr trial, res Transform) float64 {
	b := tr.before.Bounds()
	a := tr.after.Bounds()
	worst := 0.0
	for _, p := range [][2]float64{{0, 0}, {float64(b.Dx()), 0}, {0, float64(b.Dy())}, {float64(b.Dx()), float64(b.Dy())}} {
		x0, y0 := forward(tr.truth, b.Dx(), b.Dy(), a.Dx(), a.Dy(), p[0], p[1])
		x1, y1 := forward(res, b.Dx(), b.Dy(), a.Dx(), a.Dy(), p[0], p[1])
		worst = max(worst, math.Hypot(x1-x0, y1-y0))
	}
	return worst
}
