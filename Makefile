# Convenience entry points; the real work is in scripts/.
.PHONY: build test fuzz
build:
	scripts/build.sh -j2
test:
	scripts/test.sh
fuzz:  ## FUZZ_SECONDS=60 by default, per harness
	scripts/fuzz.sh
