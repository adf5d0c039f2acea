package client

import (
	"io"
	"io/fs"
	"time"
)

// fileStamp is what the file system says about one version of a file:
// which file it is (device and inode), its size, and when its bytes
// (mtime) and its inode (ctime) last changed. A write to the file moves
// its ctime, and no program can set a ctime back, so two equal stamps taken
// around a read mean the read saw one version of the file, as long as the
// first stamp's ctime is older than the file system's timestamp
// granularity (see stampRacy).
type fileStamp struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds since the Unix epoch
}

// stampRacyWindow is how old a file's ctime must be, by the local clock,
// for its stamp to prove anything. A write lands in the same timestamp as
// the write before it when both fall in one tick of the file system's
// clock: a jiffy on Linux's local file systems, a second on ext3, two on
// FAT, and the server's clock (and its skew from ours) on network file
// systems. A file written within the window is hashed again instead.
const stampRacyWindow = 2 * time.Second

// statStamp returns the stamp of an opened upload source, if it is a
// regular file on a platform whose stat gives device, inode and ctime.
// Anything else (a pipe, an fs.FS file, a bytes.Reader) has none, and its
// upload is hashed again while it is sent.
func statStamp(r io.Reader) (fileStamp, bool) {
	s, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return fileStamp{}, false
	}
	fi, err := s.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return fileStamp{}, false
	}
	return stampOf(fi)
}

// stampRacy reports whether st is too recent, as seen from start (taken
// before st), to tell a later write apart: its ctime is within
// stampRacyWindow of start, or after it (a file system whose clock runs
// ahead of ours).
func stampRacy(st fileStamp, start time.Time) bool {
	return st.ctime > start.Add(-stampRacyWindow).UnixNano()
}
