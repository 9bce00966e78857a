# .ci/heavy.sh, sourced by peers.sh, clients.sh and browser.sh: the cases
# CI leaves out against real peers. heavy_cases prints, as one
# comma-separated -exclude list, rows 6-18 of categories 12 and 13: 1000
# messages of 8 KiB to 128 KiB per case, 99% of the suite's octets and 11
# of the 12 minutes it takes against ws and python-websockets. Every
# sub-category and offer of 12 and 13 still runs, with rows 1-5 (16 B to
# 4 KiB).
heavy_cases() {
	local rows=()
	for row in $(seq 6 18); do rows+=("12.*.$row" "13.*.$row"); done
	(IFS=,; echo "${rows[*]}")
}
