package client

// AgedUploadSource is aged for the external tests: src's file stamps are
// judged by a clock an hour ahead, so a file the test has just written is
// checked by its stamp rather than hashed again.
func AgedUploadSource(src UploadSource) UploadSource { return aged(src) }
