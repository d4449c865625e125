# Iskra: build the series under articles/, test, check conformance, benchmark.
#
#   make            PDF and EPUB of every series under articles/ into out/
#   make pdf        only the PDFs          make epub    only the EPUBs
#   make test       the test suite (cargo test)
#   make conformance  build, then check the outputs with the quality tools in
#                   ../shared/tools (EPUBCheck, pdf-report, text-roundtrip),
#                   the print PDFs (boxes, tags, three renderers) and
#                   veraPDF (PDF/UA-1; PDF/A-2b, 2u, 2a when asked for),
#                   also on a generated 100-article
#                   corpus with images; the e-book in calibre (Kindle
#                   path, store metadata), chromium and epub.js
#   make bench      speed benchmarks (never part of make test)
#   make release-pgo  the release build optimised again by a profile of
#                   its own runs (what bench, serve-load and install use)
#   make install    the program, its manual page and shell completions
#                   under PREFIX (default /usr/local; DESTDIR for packagers)
#   make serve-load load run of `iskra serve` on loopback against the
#                   generated 100-article corpus (needs wrk)

SHARED  ?= ../shared
TOOLS   := $(SHARED)/tools
CORPUS  ?= /tmp/iskra-corpus
BENCH   := /tmp/iskra-bench
PREFIX  ?= /usr/local
ISKRA   := target/release/iskra
PGO     := target/pgo
PGO_ISKRA := $(PGO)/iskra
SERIES  := $(patsubst %/,%,$(sort $(dir $(wildcard articles/*/*.md))))
NAMES   := $(notdir $(SERIES))

.PHONY: all pdf epub test conformance bench serve-load clean release release-pgo install

all: release
	@for s in $(SERIES); do $(ISKRA) build $$s -o out || exit 1; done

pdf: release
	@for s in $(SERIES); do $(ISKRA) build $$s -o out --pdf || exit 1; done

epub: release
	@for s in $(SERIES); do $(ISKRA) build $$s -o out --epub || exit 1; done

release:
	cargo build --release --locked

# Profile-guided: an instrumented build sets articles/ and the test
# fixtures (every series, each article alone), and the release build is
# optimised again with what those runs counted. Same bytes out, faster
# (bench/README, stop 37), at twice the build time: bench, serve-load and
# install use it; make, test and conformance use the plain release build.
# Needs the toolchain's llvm-profdata (rustup component add llvm-tools);
# without it, the plain release build is copied and a warning printed.
# The profile is counted again only when the instrumented binary changed.
PROFDATA = $(firstword $(wildcard $(shell rustc --print sysroot)/lib/rustlib/*/bin/llvm-profdata))
HOST     = $(shell rustc -vV | sed -n 's/^host: //p')
PGO_GEN  = $(PGO)/gen/$(HOST)/release/iskra
release-pgo:
	@mkdir -p $(PGO)
ifeq ($(PROFDATA),)
	@echo "warning: no llvm-profdata in the toolchain (rustup component add llvm-tools): $(PGO_ISKRA) is the release build without a profile" >&2
	cargo build --release --locked
	cp $(ISKRA) $(PGO_ISKRA)
else
	RUSTFLAGS="-Cprofile-generate=$(CURDIR)/$(PGO)/counts" CARGO_TARGET_DIR=$(PGO)/gen \
	  cargo build --release --locked --target $(HOST)
	@if [ ! $(PGO)/iskra.profdata -nt $(PGO_GEN) ]; then \
	  rm -rf $(PGO)/counts $(PGO)/train && \
	  for s in $(SERIES) $(wildcard tests/fixtures/*-series); do \
	    $(PGO_GEN) build $$s -q -o $(PGO)/train || exit 1; done && \
	  for a in $(wildcard articles/*/*.md); do \
	    $(PGO_GEN) pdf $$a -q -o $(PGO)/train/one.pdf || exit 1; done && \
	  $(PROFDATA) merge -o $(PGO)/iskra.profdata $(PGO)/counts; \
	fi
	RUSTFLAGS="-Cprofile-use=$(CURDIR)/$(PGO)/iskra.profdata" CARGO_TARGET_DIR=$(PGO)/use \
	  cargo build --release --locked --target $(HOST)
	cp $(PGO)/use/$(HOST)/release/iskra $(PGO_ISKRA)
endif

test:
	cargo test --locked

# Every check must pass: EPUBCheck with no errors and no warnings, the PDF
# with fonts embedded, qpdf clean and no overfull line, and no lost words;
# the print PDFs (bleed, crop marks, booklet, cover wrap) with the right
# boxes on every page, tagged, rendered cleanly by poppler, MuPDF and
# Ghostscript; every book and per-article PDF compliant with PDF/UA-1 in
# veraPDF; every EPUB passing DAISY Ace. The same on a generated
# 100-article corpus with images.
PRINT   := --bleed 3mm --crop-marks
A5      := --trim 419.53 595.28
BLEED   := --bleed 8.50

conformance: all
	@for s in $(SERIES); do \
	  name=$$(basename $$s); \
	  .ci/check-outputs $(TOOLS) $$s out/$$name.pdf out/$$name.epub || exit 1; \
	done
	@rm -rf out/print out/fonts out/fixture out/world out/world-offline out/world-pdfa out/images && mkdir -p out/print/booklet out/print/articles
	@for s in $(SERIES); do \
	  name=$$(basename $$s); \
	  echo "== print: $$name"; \
	  $(ISKRA) build $$s --pdf $(PRINT) -o out/print && \
	  .ci/check-print $(A5) $(BLEED) --source $$s --tools $(TOOLS) out/print/$$name.pdf && \
	  $(ISKRA) build $$s --pdf $(PRINT) --impose booklet -o out/print/booklet && \
	  .ci/check-print --trim 839.06 595.28 $(BLEED) --untagged out/print/booklet/$$name.pdf && \
	  $(ISKRA) cover $$s -o out/print && \
	  .ci/check-print --bleed 9 --untagged out/print/$$name-cover.pdf || exit 1; \
	  $(ISKRA) build $$s --epub --embed-fonts -o out/fonts && \
	  .ci/check-epub $(TOOLS) out/fonts/$$name.epub || exit 1; \
	  for a in $$s/*.md; do \
	    $(ISKRA) pdf $$a -o out/print/articles/$$(basename $$a .md).pdf || exit 1; \
	  done; \
	done
	# every character prints: the multi-script series, with the system's
	# fonts (CI installs Noto CJK and emoji) and without them (boxes)
	$(ISKRA) build tests/fixtures/world-series --embed-fonts -o out/world
	.ci/check-world $(TOOLS) tests/fixtures/world-series out/world/world-series.pdf out/world/world-series.epub
	$(ISKRA) build tests/fixtures/world-series --ignore-system-fonts -o out/world-offline
	$(ISKRA) pdf tests/fixtures/world-series/03-voices.md -o out/world/03-voices.pdf
	# colour emoji (Type 3 fonts) and CJK (CFF) meet PDF/A-2a too
	$(ISKRA) build tests/fixtures/world-series --pdf --standard pdf-a-2a --standard pdf-ua-1 -o out/world-pdfa
	.ci/verapdf $(TOOLS) 2a out/world-pdfa/world-series.pdf
	# every kind of image file (interlaced, 16-bit, palette with a
	# transparent colour, Adobe CMYK JPEG, grey with alpha), as a book, per
	# article, and as PDF/A-2b (where CMYK becomes RGB)
	$(ISKRA) build tests/fixtures/image-series -o out/images
	.ci/check-print --source tests/fixtures/image-series --tools $(TOOLS) out/images/image-series.pdf
	.ci/check-epub $(TOOLS) out/images/image-series.epub
	for a in tests/fixtures/image-series/*.md; do \
	  $(ISKRA) pdf $$a -o out/images/articles/$$(basename $$a .md).pdf || exit 1; \
	done
	$(ISKRA) build tests/fixtures/image-series --pdf --standard pdf-a-2b --standard pdf-ua-1 -o out/images/pdfa
	.ci/verapdf $(TOOLS) 2b out/images/pdfa/image-series.pdf
	# the hostile fixture (markup and quotes in every string) is valid too
	$(ISKRA) build tests/fixtures/epub-series --embed-fonts -o out/fixture
	.ci/check-epub $(TOOLS) out/fixture/epub-series.epub
	.ci/verapdf $(TOOLS) ua1 out/*.pdf $(NAMES:%=out/print/%.pdf) out/print/articles/*.pdf out/fixture/*.pdf out/world/*.pdf out/world-offline/*.pdf out/world-pdfa/*.pdf out/images/*.pdf out/images/articles/*.pdf out/images/pdfa/*.pdf
	# PDF/A-2b, 2u and 2a on request (with PDF/UA-1), validated, not assumed
	for a in 2b 2u 2a; do \
	  $(ISKRA) build tests/fixtures/epub-series --pdf --standard pdf-a-$$a --standard pdf-ua-1 -o out/pdfa-$$a && \
	  .ci/verapdf $(TOOLS) $$a out/pdfa-$$a/epub-series.pdf && \
	  .ci/verapdf $(TOOLS) ua1 out/pdfa-$$a/epub-series.pdf || exit 1; \
	done
	.ci/ace out/*.epub out/fonts/*.epub out/fixture/*.epub out/world/*.epub out/world-offline/*.epub out/images/*.epub
	@[ -d $(CORPUS)/c100 ] || $(SHARED)/bench/gen-corpus --articles 100 --seed 1 --images --out $(CORPUS)/c100
	$(ISKRA) build $(CORPUS)/c100 -o $(CORPUS)/out
	.ci/check-outputs $(TOOLS) $(CORPUS)/c100 $(CORPUS)/out/c100.pdf $(CORPUS)/out/c100.epub
	# page makeup: no holes, short pages, uneven spreads, short hyphen
	# fragments, hyphens at a page turn or one-word title lines
	.ci/check-pages $(TOOLS) $(CORPUS)/out/c100.pdf
	# the same spaces on every page: pages whose subhead, quote, paragraph
	# or line spacing opens to end flush, no more than now (a ratchet)
	.ci/check-spacing $(CORPUS)/out/c100.pdf --max-stretched 26
	$(ISKRA) build $(CORPUS)/c100 --pdf $(PRINT) -o $(CORPUS)/out/print
	.ci/check-print $(A5) $(BLEED) --source $(CORPUS)/c100 --tools $(TOOLS) $(CORPUS)/out/print/c100.pdf
	.ci/verapdf $(TOOLS) ua1 $(CORPUS)/out/print/c100.pdf
	$(ISKRA) build $(CORPUS)/c100 --pdf --standard pdf-a-2b -o $(CORPUS)/out/pdfa
	.ci/verapdf $(TOOLS) 2b $(CORPUS)/out/pdfa/c100.pdf
	.ci/ace $(CORPUS)/out/c100.epub
	# the e-book in real reading systems, on the Kindle path and in stores:
	# calibre's AZW3 and MOBI hide the hidden navigation lists and keep
	# author and cover; ebook-meta reads author, publisher, language,
	# identifier and cover; chromium shows a one-screen cover and note
	# references large enough to tap; epub.js opens the book, its contents
	# and page list, and shows each print page's words at that page
	.ci/kindle $(NAMES:%=out/%.epub) $(CORPUS)/out/c100.epub
	.ci/store-metadata --listed $(NAMES:%=out/%.epub)
	.ci/store-metadata $(CORPUS)/out/c100.epub
	node .ci/reader/chapters.mjs $(CORPUS)/out/c100.epub
	node .ci/reader/reading-engine.mjs $(CORPUS)/out/c100.epub $(CORPUS)/out/c100.pdf
	# soft hyphens (an option): still valid, and still worth having where
	# a reading system has no hyphenation dictionary
	$(ISKRA) build $(CORPUS)/c100 --epub --soft-hyphens -o $(CORPUS)/out/soft-hyphens
	.ci/check-epub $(TOOLS) $(CORPUS)/out/soft-hyphens/c100.epub
	node .ci/reader/spacing.mjs --widths 360,600 --max-docs 40 --compare $(CORPUS)/out/c100.epub $(CORPUS)/out/soft-hyphens/c100.epub
	# footnotes on their reference's page, flush bottoms, contents, and the
	# EPUB's print page markers at each page's first word, on the corpus too
	# (the test profile, built by make test: a release test binary would
	# be linked whole-program, minutes each)
	ISKRA_PAGINATION_CORPUS=$(CORPUS)/c100 cargo test --locked --test pagination
	ISKRA_PAGE_LIST_CORPUS=$(CORPUS)/c100 cargo test --locked --test page_list
	# the live preview of iskra watch in headless Chromium (playwright-core,
	# installed by .ci/run): every page shown, an edit redraws its page, a
	# broken edit shows file:line:col over the pages
	node tests/preview/preview.mjs $(ISKRA)

# Micro-benchmarks of the stages (divan), then whole builds of the
# generated corpora timed beside typst and pandoc when they are installed
# (pip install typst==0.15.2 pypandoc-binary==1.17); then one unbroken
# string of 10^4, 10^5 and 10^6 characters, which must set in linear time;
# then edit-to-fresh-output times under iskra watch on the corpora (one
# article edited until both outputs are rewritten, beside a full build),
# and articles per second of iskra pdf over c1000, cold and after one edit.
bench: release-pgo
	cargo bench --locked --bench stages
	python3 bench/run.py --shared $(SHARED) --iskra $(PGO_ISKRA)
	python3 bench/long-string --iskra $(PGO_ISKRA)
	python3 bench/watch.py --iskra $(PGO_ISKRA) --corpus $(BENCH)/c100 --corpus $(BENCH)/c1000
	python3 bench/static_pdfs.py --iskra $(PGO_ISKRA) --corpus $(BENCH)/c1000

# A measurement, not a test: 30 s at 64 connections per run, loopback only.
serve-load: release-pgo
	@[ -d $(CORPUS)/c100 ] || $(SHARED)/bench/gen-corpus --articles 100 --seed 1 --images --out $(CORPUS)/c100
	ISKRA=$(PGO_ISKRA) bench/serve-load $(CORPUS)/c100 30 64

# The program, its manual page and completions for bash, zsh and fish,
# all generated from the command definitions.
install: release-pgo
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(PGO_ISKRA) $(DESTDIR)$(PREFIX)/bin/iskra
	$(PGO_ISKRA) man --out $(DESTDIR)$(PREFIX)/share/man/man1
	$(PGO_ISKRA) completions bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/iskra
	$(PGO_ISKRA) completions zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_iskra
	$(PGO_ISKRA) completions fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/iskra.fish

clean:
	rm -rf out
