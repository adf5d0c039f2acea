package webhook

// memoryIndex finds a shard's slot by the hash of an event id. It is an
// open-addressing table with linear probing over a flat []uint64, so it
// holds no pointers: the garbage collector never scans it, however many
// events the store holds, and a full store churning events leaves no
// tombstones behind (deletion shifts the probe chain back), so it never has
// to be rebuilt while its size stays the same.
//
// A cell is 0 when empty; otherwise its high 32 bits are the low 32 bits of
// the id's hash (enough to find the cell's home position and to skip most
// other ids without touching their slot) and its low 32 bits are the slot's
// index plus one. Equal hashes are not equal ids: the caller compares the
// slot's full hash and id bytes.
type memoryIndex struct {
	cells []uint64 // length 0 or a power of two, at most half full
	n     int      // cells in use
}

// memoryIndexMin is the length of a new index; it doubles as it fills.
const memoryIndexMin = 16

func indexCell(hash uint64, slot int32) uint64 {
	return hash<<32 | uint64(uint32(slot)+1)
}

func cellSlot(c uint64) int32 { return int32(uint32(c)) - 1 }

// cellHome is the position where a cell's probe chain starts.
func (x *memoryIndex) cellHome(c uint64) int {
	return int(c>>32) & (len(x.cells) - 1)
}

// lookup calls match for every slot whose hash agrees with hash in its low
// 32 bits, in probe order, until match reports true; it returns that slot,
// or -1.
func (x *memoryIndex) lookup(hash uint64, match func(slot int32) bool) int32 {
	if len(x.cells) == 0 {
		return -1
	}
	mask := len(x.cells) - 1
	tag := uint32(hash)
	for i := int(tag) & mask; ; i = (i + 1) & mask {
		c := x.cells[i]
		if c == 0 {
			return -1
		}
		if uint32(c>>32) == tag && match(cellSlot(c)) {
			return cellSlot(c)
		}
	}
}

// insert adds slot under hash. The caller has checked that no slot holds
// the same id.
func (x *memoryIndex) insert(hash uint64, slot int32) {
	if 2*(x.n+1) > len(x.cells) {
		x.grow()
	}
	x.place(indexCell(hash, slot))
	x.n++
}

// place puts c into the first empty cell of its probe chain.
func (x *memoryIndex) place(c uint64) {
	mask := len(x.cells) - 1
	i := x.cellHome(c)
	for x.cells[i] != 0 {
		i = (i + 1) & mask
	}
	x.cells[i] = c
}

// grow doubles the table (or makes the first one) and places every cell
// again; the cells carry their hash bits, so the slots are not touched.
func (x *memoryIndex) grow() {
	old := x.cells
	size := 2 * len(old)
	if size < memoryIndexMin {
		size = memoryIndexMin
	}
	x.cells = make([]uint64, size)
	for _, c := range old {
		if c != 0 {
			x.place(c)
		}
	}
}

// remove deletes slot, indexed under hash. It reports whether it was found.
func (x *memoryIndex) remove(hash uint64, slot int32) bool {
	if len(x.cells) == 0 {
		return false
	}
	mask := len(x.cells) - 1
	want := indexCell(hash, slot)
	i := int(uint32(hash)) & mask
	for x.cells[i] != want {
		if x.cells[i] == 0 {
			return false
		}
		i = (i + 1) & mask
	}
	// Backward-shift deletion: move later cells of the chain into the gap
	// when the gap lies between their home and where they sit, so that
	// every cell stays reachable from its home without tombstones.
	for {
		x.cells[i] = 0
		j := i
		for {
			j = (j + 1) & mask
			c := x.cells[j]
			if c == 0 {
				x.n--
				return true
			}
			home := x.cellHome(c)
			// c may stay at j when its home is cyclically in (i, j].
			if i < j {
				if i < home && home <= j {
					continue
				}
			} else if i < home || home <= j {
				continue
			}
			x.cells[i] = c
			i = j
			break
		}
	}
}
