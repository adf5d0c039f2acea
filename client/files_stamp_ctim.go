//go:build linux || openbsd || dragonfly

package client

import (
	"io/fs"
	"syscall"
)

// stampOf reads device, inode, size and times from a stat result (these
// systems name the times Mtim and Ctim).
func stampOf(fi fs.FileInfo) (fileStamp, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStamp{}, false
	}
	return fileStamp{
		dev: uint64(st.Dev), ino: uint64(st.Ino), size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(),
	}, true
}
