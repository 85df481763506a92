package docscan

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
)

// xrefEntry says where an object lives: at a byte offset (kind 1) or as the idx-th object of
// the object stream numbered off (kind 2).
type xrefEntry struct {
	kind byte
	off  int
	idx  int
}

// pdfDoc is an opened PDF: its cross-reference index, a cache of parsed objects and the budget
// of the extraction. It reads objects lazily, only those the pages' text needs.
type pdfDoc struct {
	data []byte
	*budget
	xref      map[int]xrefEntry
	scanned   map[int]xrefEntry // made by scanning the whole file when the index is broken
	didScan   bool
	trailer   pdfDict
	cache     map[int]any
	busy      map[int]bool
	depth     int
	objStms   map[int]*objStm
	fonts     map[any]*pdfFont
	pagesRead int
	// endFrom..endAt is the last "endstream" search: from endFrom, the next one is at endAt.
	endFrom, endAt int
}

// objStm is a decoded object stream: object number → offset of its text in data.
type objStm struct {
	data []byte
	offs map[int]int
	nums []int // object numbers in order, for indexing by position
}

func openPDF(ctx context.Context, data []byte, lim PDFLimits) (*pdfDoc, error) {
	head := data[:min(len(data), 1024)]
	if bytes.Index(head, []byte("%PDF-")) < 0 {
		return nil, ErrNotPDF
	}
	d := &pdfDoc{
		data: data, budget: &budget{ctx: ctx, lim: lim},
		xref: map[int]xrefEntry{}, cache: map[int]any{}, busy: map[int]bool{},
		objStms: map[int]*objStm{}, fonts: map[any]*pdfFont{}, endFrom: -1, endAt: -1,
	}
	d.readXref()
	if d.stop() {
		return nil, d.err
	}
	if d.trailer == nil || asDict(d.resolve(d.trailer["Root"])) == nil {
		d.scan()
		if d.stop() {
			return nil, d.err
		}
	}
	if d.trailer == nil {
		return nil, fmt.Errorf("no trailer or catalog found: %w", ErrMalformed)
	}
	if d.trailer["Encrypt"] != nil {
		return nil, ErrEncrypted
	}
	return d, nil
}

// readXref follows startxref and the /Prev chain. Faults are not errors here: the caller
// falls back to scanning the file.
func (d *pdfDoc) readXref() {
	tail := d.data[max(0, len(d.data)-4096):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return
	}
	l := &lexer{b: tail, pos: i + len("startxref"), maxDepth: d.lim.MaxDepth}
	v, _ := l.object()
	off, ok := v.(int64)
	seen := map[int64]bool{}
	for ok && off >= 0 && off < int64(len(d.data)) && !seen[off] && len(seen) < 64 && !d.stop() {
		seen[off] = true
		tr := d.readXrefSection(int(off))
		if tr == nil {
			return
		}
		if d.trailer == nil {
			d.trailer = pdfDict{}
		}
		for k, v := range tr { // newer sections win
			if _, has := d.trailer[k]; !has {
				d.trailer[k] = v
			}
		}
		if x, isInt := tr["XRefStm"].(int64); isInt && x >= 0 && x < int64(len(d.data)) && !seen[x] {
			seen[x] = true
			d.readXrefSection(int(x))
		}
		off, ok = tr["Prev"].(int64)
	}
}

// readXrefSection reads a classic table or an xref stream at off and returns its trailer.
func (d *pdfDoc) readXrefSection(off int) pdfDict {
	l := &lexer{b: d.data, pos: off, maxDepth: d.lim.MaxDepth, refs: true}
	l.skipSpace()
	if !bytes.HasPrefix(d.data[l.pos:], []byte("xref")) {
		_, obj, ok := d.parseAt(off)
		s, isStream := obj.(*pdfStream)
		if !ok || !isStream || s.dict["Type"] != pdfName("XRef") {
			return nil
		}
		d.readXrefStream(s)
		return s.dict
	}
	l.pos += 4
	for !d.stop() {
		v, err := l.object()
		if err != nil {
			return nil
		}
		if v == pdfKeyword("trailer") {
			tr, _ := l.object()
			return asDict(tr)
		}
		start, ok1 := v.(int64)
		cv, _ := l.object()
		count, ok2 := cv.(int64)
		if !ok1 || !ok2 || start < 0 || count < 0 || count > int64(len(d.data)/18+1) {
			return nil
		}
		for i := int64(0); i < count; i++ {
			ov, _ := l.object()
			_, _ = l.object() // generation
			kv, _ := l.object()
			o, isInt := ov.(int64)
			if !isInt {
				return nil
			}
			if kv == pdfKeyword("n") {
				d.setXref(int(start+i), xrefEntry{kind: 1, off: int(o)})
			}
		}
	}
	return nil
}

// setXref records an entry unless a newer section already did, within MaxObjects.
func (d *pdfDoc) setXref(num int, e xrefEntry) {
	if _, has := d.xref[num]; has || num < 0 || num >= 1<<31 {
		return
	}
	if len(d.xref) >= d.lim.MaxObjects {
		d.fail(fmt.Errorf("more than %d objects: %w", d.lim.MaxObjects, ErrLimit))
		return
	}
	d.xref[num] = e
}

func (d *pdfDoc) readXrefStream(s *pdfStream) {
	data, err := d.decode(s)
	if err != nil {
		return
	}
	var w [3]int
	wa := asArray(s.dict["W"])
	if len(wa) < 3 {
		return
	}
	sum := 0
	for i := range 3 {
		w[i] = int(asInt(wa[i]))
		if w[i] < 0 || w[i] > 8 {
			return
		}
		sum += w[i]
	}
	if sum == 0 {
		return
	}
	index := asArray(s.dict["Index"])
	if len(index) == 0 {
		index = pdfArray{int64(0), s.dict["Size"]}
	}
	field := func(b []byte, def int) int {
		if len(b) == 0 {
			return def
		}
		v := 0
		for _, c := range b {
			v = v<<8 | int(c)
		}
		return v
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		start, count := int(asInt(index[i])), int(asInt(index[i+1]))
		for j := 0; j < count && pos+sum <= len(data); j++ {
			e := data[pos : pos+sum]
			pos += sum
			typ := field(e[:w[0]], 1)
			a, b := field(e[w[0]:w[0]+w[1]], 0), field(e[w[0]+w[1]:], 0)
			switch typ {
			case 1:
				d.setXref(start+j, xrefEntry{kind: 1, off: a})
			case 2:
				d.setXref(start+j, xrefEntry{kind: 2, off: a, idx: b})
			}
		}
	}
}

// parseAt reads "num gen obj <object> [stream]" at off.
func (d *pdfDoc) parseAt(off int) (int, any, bool) {
	if off < 0 || off >= len(d.data) {
		return 0, nil, false
	}
	l := &lexer{b: d.data, pos: off, maxDepth: d.lim.MaxDepth, refs: true}
	nv, _ := l.object()
	num, ok := nv.(int64)
	if !ok {
		return 0, nil, false
	}
	gv, _ := l.object()
	if _, ok := gv.(int64); !ok {
		return 0, nil, false
	}
	if kw, _ := l.object(); kw != pdfKeyword("obj") {
		return 0, nil, false
	}
	obj, err := l.object()
	// Lexing is work too: an unterminated "(" or "[" in every object of a damaged file would
	// otherwise read to the end of the file once per object.
	if !d.spend((l.pos - off) >> 4) {
		return int(num), nil, false
	}
	if err != nil && err != errEOF {
		return int(num), nil, false
	}
	dict, isDict := obj.(pdfDict)
	if !isDict {
		return int(num), obj, true
	}
	save := l.pos
	if kw, _ := l.object(); kw != pdfKeyword("stream") {
		l.pos = save
		return int(num), obj, true
	}
	start := l.pos
	if start < len(d.data) && d.data[start] == '\r' {
		start++
	}
	if start < len(d.data) && d.data[start] == '\n' {
		start++
	}
	return int(num), &pdfStream{dict: dict, raw: d.streamData(dict, start)}, true
}

// streamData finds the end of a stream that starts at start: /Length when it lands on
// "endstream", else the next "endstream" (writers often get /Length wrong).
func (d *pdfDoc) streamData(dict pdfDict, start int) []byte {
	if n, ok := d.resolve(dict["Length"]).(int64); ok && n >= 0 && n <= int64(len(d.data)-start) {
		end := start + int(n)
		rest := bytes.TrimLeft(d.data[end:min(len(d.data), end+32)], " \r\n\t\f\x00")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			return d.data[start:end]
		}
	}
	end := d.nextEndstream(start)
	if end < 0 {
		return d.data[start:]
	}
	if end > start && d.data[end-1] == '\n' {
		end--
	}
	if end > start && d.data[end-1] == '\r' {
		end--
	}
	return d.data[start:end]
}

// nextEndstream finds the first "endstream" at or after start, or -1. It remembers the last
// answer: a scan of a file with thousands of streams whose /Length is wrong would otherwise
// search the same bytes again for each of them.
func (d *pdfDoc) nextEndstream(start int) int {
	if start >= d.endFrom && start <= d.endAt {
		if d.endAt > len(d.data) {
			return -1
		}
		return d.endAt
	}
	i := bytes.Index(d.data[start:], []byte("endstream"))
	d.endFrom, d.endAt = start, start+i
	if i < 0 {
		d.endAt = len(d.data) + 1 // none from start on: later searches past start fail at once
		return -1
	}
	return d.endAt
}

// resolve follows references (a chain of at most a few) and returns nil for missing objects.
func (d *pdfDoc) resolve(v any) any {
	for range 8 {
		r, ok := v.(pdfRef)
		if !ok {
			return v
		}
		v = d.lookup(r.num)
	}
	return nil
}

func (d *pdfDoc) lookup(num int) any {
	if v, ok := d.cache[num]; ok {
		return v
	}
	if d.busy[num] || d.depth >= d.lim.MaxDepth || !d.spend(1) {
		return nil // a reference cycle, or nesting past the limit
	}
	d.busy[num] = true
	d.depth++
	defer func() { delete(d.busy, num); d.depth-- }()
	v, ok := d.load(num, d.xref)
	if !ok && !d.stop() {
		d.scan()
		v, _ = d.load(num, d.scanned)
	}
	d.cache[num] = v
	return v
}

func (d *pdfDoc) load(num int, table map[int]xrefEntry) (any, bool) {
	e, ok := table[num]
	if !ok {
		return nil, false
	}
	if e.kind == 2 {
		return d.fromObjStm(e.off, num, e.idx)
	}
	got, v, ok := d.parseAt(e.off)
	return v, ok && got == num
}

func (d *pdfDoc) fromObjStm(snum, num, idx int) (any, bool) {
	os := d.objStm(snum)
	if os == nil {
		return nil, false
	}
	off, ok := os.offs[num]
	if !ok && idx >= 0 && idx < len(os.nums) {
		off, ok = os.offs[os.nums[idx]]
	}
	if !ok {
		return nil, false
	}
	l := &lexer{b: os.data, pos: off, maxDepth: d.lim.MaxDepth, refs: true}
	v, err := l.object()
	d.spend((l.pos - off) >> 4)
	return v, err == nil
}

func (d *pdfDoc) objStm(snum int) *objStm {
	if os, ok := d.objStms[snum]; ok {
		return os
	}
	d.objStms[snum] = nil // a stream that contains itself finds nil
	s, ok := d.lookup(snum).(*pdfStream)
	if !ok {
		return nil
	}
	data, err := d.decode(s)
	if err != nil {
		return nil
	}
	first := int(asInt(s.dict["First"]))
	n := int(asInt(s.dict["N"]))
	if first < 0 || first > len(data) || n < 0 || n > len(data)/2+1 {
		return nil
	}
	os := &objStm{data: data, offs: map[int]int{}}
	l := &lexer{b: data[:first], maxDepth: 1}
	for range n {
		a, _ := l.object()
		b, _ := l.object()
		num, ok1 := a.(int64)
		off, ok2 := b.(int64)
		if !ok1 || !ok2 || off < 0 || first+int(off) > len(data) {
			break
		}
		os.offs[int(num)] = first + int(off)
		os.nums = append(os.nums, int(num))
	}
	d.objStms[snum] = os
	return os
}

// scan rebuilds the index by looking for "N G obj" everywhere, as readers do for damaged
// files, and takes the last trailer or xref-stream dictionary that names a catalog.
func (d *pdfDoc) scan() {
	if d.didScan {
		return
	}
	d.didScan = true
	d.scanned = map[int]xrefEntry{}
	var stms []int
	for i := 0; !d.stop(); {
		j := bytes.Index(d.data[i:], []byte("obj"))
		if j < 0 {
			break
		}
		i += j + 3
		if i < len(d.data) && isRegular(d.data[i]) {
			continue // "objstm", "object"...
		}
		start, num, ok := headerBefore(d.data, i-3)
		if !ok || !d.spend(1) {
			continue
		}
		if len(d.scanned) >= d.lim.MaxObjects {
			d.fail(fmt.Errorf("more than %d objects: %w", d.lim.MaxObjects, ErrLimit))
			return
		}
		d.scanned[num] = xrefEntry{kind: 1, off: start}
		if _, obj, ok := d.parseAt(start); ok {
			if s, isStream := obj.(*pdfStream); isStream {
				switch s.dict["Type"] {
				case pdfName("ObjStm"):
					stms = append(stms, num)
				case pdfName("XRef"):
					d.takeTrailer(s.dict)
				}
			}
		}
	}
	for i := 0; !d.stop(); {
		j := bytes.Index(d.data[i:], []byte("trailer"))
		if j < 0 {
			break
		}
		i += j + len("trailer")
		l := &lexer{b: d.data, pos: i, maxDepth: d.lim.MaxDepth, refs: true}
		if v, _ := l.object(); v != nil {
			if tr := asDict(v); tr != nil {
				d.takeTrailer(tr)
			}
		}
	}
	for _, snum := range stms {
		os := d.objStm(snum)
		if os == nil {
			continue
		}
		for idx, num := range os.nums {
			if _, has := d.scanned[num]; !has && len(d.scanned) < d.lim.MaxObjects {
				d.scanned[num] = xrefEntry{kind: 2, off: snum, idx: idx}
			}
		}
	}
	if d.trailer == nil || asDict(d.resolve(d.trailer["Root"])) == nil {
		d.findCatalog()
	}
}

// takeTrailer adopts tr when it names a catalog or says the file is encrypted.
func (d *pdfDoc) takeTrailer(tr pdfDict) {
	if tr["Encrypt"] != nil {
		if d.trailer == nil {
			d.trailer = pdfDict{}
		}
		d.trailer["Encrypt"] = tr["Encrypt"]
	}
	if tr["Root"] != nil {
		if d.trailer == nil {
			d.trailer = pdfDict{}
		}
		d.trailer["Root"] = tr["Root"]
	}
}

// findCatalog is the last resort when no trailer names the catalog: any /Type /Catalog.
func (d *pdfDoc) findCatalog() {
	nums := make([]int, 0, len(d.scanned))
	for n := range d.scanned {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		if dict := asDict(d.lookup(n)); dict != nil && dict["Type"] == pdfName("Catalog") {
			if d.trailer == nil {
				d.trailer = pdfDict{}
			}
			d.trailer["Root"] = pdfRef{num: n}
			return
		}
		if d.stop() {
			return
		}
	}
}

// headerBefore finds "num gen " ending just before end (the "obj" keyword) and returns where
// num starts.
func headerBefore(b []byte, end int) (start, num int, ok bool) {
	i := end
	skipBack := func(pred func(byte) bool) int {
		j := i
		for i > 0 && pred(b[i-1]) {
			i--
		}
		return j - i
	}
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	space := func(c byte) bool { return c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == 0 || c == '\f' }
	if skipBack(space) == 0 || skipBack(digit) == 0 || skipBack(space) == 0 {
		return 0, 0, false
	}
	if n := skipBack(digit); n == 0 || n > 10 {
		return 0, 0, false
	}
	if i > 0 && isRegular(b[i-1]) {
		return 0, 0, false
	}
	j := i
	for j < len(b) && digit(b[j]) {
		j++
	}
	num, err := strconv.Atoi(string(b[i:j]))
	if err != nil || num >= 1<<31 {
		return 0, 0, false
	}
	return i, num, true
}

// Accessors that never panic: a wrong type reads as the zero value.

func asDict(v any) pdfDict {
	switch t := v.(type) {
	case pdfDict:
		return t
	case *pdfStream:
		return t.dict
	}
	return nil
}

func asArray(v any) pdfArray { a, _ := v.(pdfArray); return a }

func asInt(v any) int64 {
	switch t := v.(type) {
	case int64:
		return t
	case float64:
		if t > -1e15 && t < 1e15 {
			return int64(t)
		}
	}
	return 0
}

func asFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case float64:
		if t != t || t > 1e12 || t < -1e12 { // NaN or absurd: a hostile matrix
			return 0, false
		}
		return t, true
	}
	return 0, false
}

// get returns dict[key], resolved.
func (d *pdfDoc) get(dict pdfDict, key pdfName) any { return d.resolve(dict[key]) }
