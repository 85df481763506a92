package vin

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Record is what a WMI stands for. Makes is shared with the table that returned it: read it,
// never modify it.
type Record struct {
	WMI          string // 3 characters, or 6 for low-volume manufacturers
	Manufacturer string
	Makes        []string // as the source orders them (sorted in the built-in table); may be empty
	Country      string   // "" when the source does not say
	VehicleType  string
}

// Table finds the manufacturer of a VIN. It is the seam where a full decoder can replace the
// built-in WMI table; implementations must be safe for concurrent use.
type Table interface {
	// LookupVIN returns the record of the WMI of vin, a normalized 17-character VIN (upper
	// case, VIN alphabet), and false when the WMI is unknown.
	LookupVIN(vin string) (Record, bool)
}

// MemTable is a WMI table held in memory, as read by ReadTable. It is immutable and safe for
// concurrent use.
type MemTable struct {
	index   map[uint64]int32 // wmiKey → position in records
	records []Record
}

//go:embed wmi.csv.gz
var builtinCSV []byte

// builtin parses the embedded table once per process: the data is fixed at build time, so a
// parse error is a bug caught by the tests and worth a panic.
var builtin = sync.OnceValue(func() *MemTable {
	t, err := ReadTable(bytes.NewReader(builtinCSV))
	if err != nil {
		panic("vin: embedded wmi.csv.gz: " + err.Error())
	}
	return t
})

// Builtin returns the WMI table embedded in the binary (see the package documentation for its
// source). The first call parses it; later calls return the same table.
func Builtin() *MemTable { return builtin() }

// ReadTable reads a WMI table in the format of wmi.csv.gz, gzip'd or plain: a header naming
// at least the column wmi (manufacturer, makes, country and vehicle_type are optional; unknown
// columns are ignored), then one row per WMI. A WMI listed twice keeps its first row, with the
// makes of both. A malformed row is an error naming its line.
func ReadTable(r io.Reader) (*MemTable, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read wmi table: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // checked below, with a clearer message
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read wmi table header: %w", err)
	}
	col := map[string]int{"wmi": -1, "manufacturer": -1, "makes": -1, "country": -1, "vehicle_type": -1}
	for i, name := range header {
		name = strings.TrimPrefix(strings.TrimSpace(name), "\ufeff")
		if _, ok := col[name]; ok {
			col[name] = i
		}
	}
	if col["wmi"] < 0 {
		return nil, errors.New("read wmi table header: no wmi column")
	}
	p := tableParser{
		t:       &MemTable{index: make(map[uint64]int32, 16384), records: make([]Record, 0, 16384)},
		makeBuf: make([]string, 0, 16384),
		wmi:     col["wmi"], mfr: col["manufacturer"], makes: col["makes"],
		country: col["country"], vtype: col["vehicle_type"], width: len(header),
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read wmi table: %w", err)
		}
		if err := p.add(row); err != nil {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("read wmi table: line %d: %w", line, err)
		}
	}
	return p.t, nil
}

// tableParser turns CSV rows into records. The records' strings are substrings of the rows
// (encoding/csv allocates one string per row), so the table keeps about the CSV's size (1 MB)
// alive; interning the repeated names would keep less but made parsing four times slower.
type tableParser struct {
	t                                      *MemTable
	wmi, mfr, makes, country, vtype, width int
	makeBuf                                []string // one backing array for all records' Makes
}

func (p *tableParser) add(row []string) error {
	if len(row) != p.width {
		return fmt.Errorf("%d fields, want %d", len(row), p.width)
	}
	code := strings.ToUpper(strings.TrimSpace(row[p.wmi]))
	k, ok := wmiKey(code)
	switch {
	case !ok || (len(code) != 3 && len(code) != 6):
		return fmt.Errorf("wmi %q must be 3 or 6 letters and digits", code)
	case len(code) == 6 && code[2] != '9':
		return fmt.Errorf("6-character wmi %q must have 9 as third character", code)
	}
	if i, dup := p.t.index[k]; dup {
		p.mergeMakes(&p.t.records[i], p.field(row, p.makes))
		return nil
	}
	rec := Record{
		WMI:          code,
		Manufacturer: p.field(row, p.mfr),
		Country:      p.field(row, p.country),
		VehicleType:  p.field(row, p.vtype),
	}
	if makes := p.field(row, p.makes); makes != "" {
		start := len(p.makeBuf)
		for m := range strings.SplitSeq(makes, "|") {
			if m = strings.TrimSpace(m); m != "" {
				p.makeBuf = append(p.makeBuf, m)
			}
		}
		// Full slice expression: a later append to this record's makes must not overwrite the
		// next record's.
		rec.Makes = p.makeBuf[start:len(p.makeBuf):len(p.makeBuf)]
	}
	p.t.index[k] = int32(len(p.t.records))
	p.t.records = append(p.t.records, rec)
	return nil
}

// mergeMakes adds to rec the makes of a second row for the same WMI.
func (p *tableParser) mergeMakes(rec *Record, makes string) {
	for m := range strings.SplitSeq(makes, "|") {
		if m = strings.TrimSpace(m); m != "" && !containsFold(rec.Makes, m) {
			rec.Makes = append(rec.Makes, m)
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// field returns column i of row, trimmed, or "" when the table has no such column.
func (p *tableParser) field(row []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// Len returns the number of WMIs in the table.
func (t *MemTable) Len() int { return len(t.records) }

// Lookup returns the record of a 3- or 6-character WMI (upper case), and false when unknown.
func (t *MemTable) Lookup(wmi string) (Record, bool) {
	k, ok := wmiKey(wmi)
	if !ok || (len(wmi) != 3 && len(wmi) != 6) {
		return Record{}, false
	}
	return t.lookupKey(k)
}

// LookupVIN implements Table. When position 3 is '9' the VIN may belong to a low-volume
// manufacturer, identified by positions 1-3 and 12-14; that 6-character WMI wins over the
// 3-character one, which is the fallback.
func (t *MemTable) LookupVIN(vin string) (Record, bool) {
	if len(vin) < 14 {
		return Record{}, false
	}
	k3, ok := wmiKey(vin[:3])
	if !ok {
		return Record{}, false
	}
	if vin[2] == '9' {
		if k6, ok := wmiKey(vin[11:14]); ok {
			if rec, ok := t.lookupKey(k3<<18 | k6); ok {
				return rec, true
			}
		}
	}
	return t.lookupKey(k3)
}

func (t *MemTable) lookupKey(k uint64) (Record, bool) {
	i, ok := t.index[k]
	if !ok {
		return Record{}, false
	}
	return t.records[i], true
}

// wmiKey packs up to 6 characters 0-9A-Z into an integer, 6 bits each, so that a lookup needs
// neither a string allocation (for the 6-character key, which is not contiguous in the VIN)
// nor string hashing. Codes start at 1, so a 3-character key never equals a 6-character one.
func wmiKey(s string) (uint64, bool) {
	if len(s) > 6 {
		return 0, false
	}
	var k uint64
	for i := 0; i < len(s); i++ {
		var c byte
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			c = ch - '0' + 1
		case ch >= 'A' && ch <= 'Z':
			c = ch - 'A' + 11
		default:
			return 0, false
		}
		k = k<<6 | uint64(c)
	}
	return k, true
}
