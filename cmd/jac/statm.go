package main

// residentOfStatm parses the resident pages (second field) of a
// /proc/PID/statm line and returns them in bytes.
func residentOfStatm(statm []byte, pageSize uint64) (uint64, bool) {
	i := 0
	for i < len(statm) && statm[i] != ' ' { // size
		i++
	}
	i++
	var pages uint64
	digits := 0
	for ; i < len(statm) && '0' <= statm[i] && statm[i] <= '9'; i++ {
		pages = pages*10 + uint64(statm[i]-'0')
		digits++
	}
	if digits == 0 {
		return 0, false
	}
	return pages * pageSize, true
}
