# xmppdna: the front door.
#   make              release library and CLI into out/
#   make install      PREFIX=/usr/local (DESTDIR, LIBDIR, MANDIR honoured)
#   make man          the man pages in docs/man, from the header and the CLI
#   make test         every test
#   make check        the quick tier: layers and the pure core's unit tests
#   make demo         the main job on the loopback DNS world
#   make dist         the release tarball in out/dist
#   make deb          Debian packages in out/deb, checked by lintian
PREFIX   ?= /usr/local
LIBDIR   ?= $(PREFIX)/lib
MANDIR   ?= $(PREFIX)/share/man
# Where shell completions go; Debian's packages use zsh's vendor-completions.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# Modules built here (Lua) find the library where it was installed; a
# package that installs it on the linker's path sets RPATH= (no rpath).
RPATH    ?= -Wl,-rpath,$(LIBDIR)
SPLIT_DEBUG ?= yes
SCRATCH  ?= .build
SWIFT    ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
VERSION  := $(shell sed -n 's/^\#define XMPPDNA_VERSION  *"\(.*\)"/\1/p' include/xmppdna.h)
SOMAJOR  := $(shell sed -n 's/^\#define XMPPDNA_SOVERSION  *\([0-9]*\).*/\1/p' include/xmppdna.h)
ifeq ($(VERSION),)
$(error cannot read XMPPDNA_VERSION from include/xmppdna.h)
endif
ifeq ($(SOMAJOR),)
$(error cannot read XMPPDNA_SOVERSION from include/xmppdna.h)
endif
OUT      := out
LIB      := $(OUT)/lib/libxmppdna.so.$(VERSION)
CLI      := $(OUT)/bin/xmppdna
TESTROOT ?= $(CURDIR)/$(OUT)/test-$(notdir $(SCRATCH))

DEPS      := libldns-dev libssl-dev libidn2-dev libpsl-dev pkg-config openssl
# What `make deb` needs besides DEPS (the Swift toolchain is not a Debian package).
DEB_DEPS  := debhelper dh-python dpkg-dev lintian python3 liblua5.4-dev erlang-dev ejabberd
TEST_DEPS := $(DEB_DEPS) groff-base man-db bash-completion python3-mypy luarocks valgrind clang gcc python3 python3-venv python3-pytest nsd unbound ldnsutils dnsutils \
             lua5.4 liblua5.4-dev luajit prosody lua-unbound erlang-base erlang-dev erlang-eunit ejabberd iproute2 util-linux bc bind9-utils python3-dnspython python3-cryptography \
             graphviz chromium
# No $ORIGIN runpath: nothing is loaded from beside the library or the command.
# Relocations resolved at load time and then read-only (RELRO, BIND_NOW).
SWIFT_RELEASE := $(SWIFT) build -c release --scratch-path $(SCRATCH) -Xswiftc -static-stdlib --disable-local-rpath \
                 -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now

.PHONY: all deps test-deps release install install-lua uninstall test check swift-test c-test cli-test python-test python-dist lua-test erlang-test prosody-test ejabberd-test picture-test bench \
        man man-check dist deb deb-test \
        drift-check check-release tsan-test asan-test fuzz fuzz-smoke fuzz-dns-differential demo clean

all: release

# Debian packages, installed only when missing (root, or sudo when present).
deps:
	@missing=""; for p in $(DEPS) $(EXTRA_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

test-deps:
	@$(MAKE) --no-print-directory deps EXTRA_DEPS="$(TEST_DEPS)"

release: deps $(LIB) $(CLI)

$(LIB): Package.swift scripts/libxmppdna.map include/xmppdna.h $(shell find Sources -type f)
	$(SWIFT_RELEASE) --product xmppdna -Xlinker -soname=libxmppdna.so.$(SOMAJOR) \
	    -Xlinker --version-script=$(CURDIR)/scripts/libxmppdna.map
	mkdir -p $(OUT)/lib
	cp $(SCRATCH)/release/libxmppdna.so $@
	# Debug info apart, as a -dbgsym package ships it (valgrind cannot
	# read the statically linked runtime's mixed DWARF 4 and 5). The
	# package build leaves this to dh_strip (SPLIT_DEBUG=no).
	if [ "$(SPLIT_DEBUG)" = yes ]; then \
	  objcopy --only-keep-debug $@ $@.debug && strip --strip-debug $@ && objcopy --add-gnu-debuglink=$@.debug $@; \
	fi
	ln -sf libxmppdna.so.$(VERSION) $(OUT)/lib/libxmppdna.so.$(SOMAJOR)
	ln -sf libxmppdna.so.$(SOMAJOR) $(OUT)/lib/libxmppdna.so

$(CLI): $(LIB)
	$(SWIFT_RELEASE) --product xmppdna-cli
	mkdir -p $(OUT)/bin
	cp $(SCRATCH)/release/xmppdna-cli $@

install: release
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(LIB) $(DESTDIR)$(LIBDIR)/libxmppdna.so.$(VERSION)
	ln -sf libxmppdna.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libxmppdna.so.$(SOMAJOR)
	ln -sf libxmppdna.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libxmppdna.so
	install -m 644 include/xmppdna.h $(DESTDIR)$(PREFIX)/include/xmppdna.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' pkgconfig/xmppdna.pc.in \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/xmppdna.pc
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/xmppdna
	install -m 644 docs/man/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/man/man3/*.3 $(DESTDIR)$(MANDIR)/man3/
	$(CLI) --generate-completion-script bash | sed '1{/^#!/d}' > $(DESTDIR)$(BASHCOMPDIR)/xmppdna  # sourced, not run
	$(CLI) --generate-completion-script zsh > $(DESTDIR)$(ZSHCOMPDIR)/_xmppdna
	$(CLI) --generate-completion-script fish > $(DESTDIR)$(FISHCOMPDIR)/xmppdna.fish
	@if pkg-config --exists lua5.4; then $(MAKE) --no-print-directory install-lua; \
	 else echo "install: no lua5.4.pc (liblua5.4-dev): the Lua binding and mod_s2s_auth_dna were not installed"; fi

# The Lua 5.4 binding and mod_s2s_auth_dna in luarocks' layout under PREFIX,
# where Prosody 0.12 looks with `installer_plugin_path = "PREFIX"`.
LUA_SHARE ?= $(PREFIX)/share/lua/5.4
LUA_LIB   ?= $(LIBDIR)/lua/5.4
PROSODY_MODDIR ?= $(LUA_SHARE)/mod_s2s_auth_dna
install-lua: $(LIB)
	install -d $(DESTDIR)$(LUA_SHARE)/xmppdna $(DESTDIR)$(PROSODY_MODDIR) $(DESTDIR)$(LUA_LIB)/xmppdna
	$(CC) -std=c11 -O2 $(CPPFLAGS) $(CFLAGS) -shared -fPIC $$(pkg-config --cflags lua5.4) -Iinclude -o $(OUT)/xmppdna-lua-core.so \
	    bindings/lua/xmppdna/core.c $(LDFLAGS) -L$(OUT)/lib -lxmppdna $(RPATH)
	install -m 755 $(OUT)/xmppdna-lua-core.so $(DESTDIR)$(LUA_LIB)/xmppdna/core.so
	install -m 644 bindings/lua/xmppdna/*.lua $(DESTDIR)$(LUA_SHARE)/xmppdna/
	install -m 644 bindings/prosody/mod_s2s_auth_dna.lua bindings/prosody/README.md $(DESTDIR)$(PROSODY_MODDIR)/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libxmppdna.so* $(DESTDIR)$(PREFIX)/include/xmppdna.h \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/xmppdna.pc $(DESTDIR)$(PREFIX)/bin/xmppdna \
	      $(DESTDIR)$(MANDIR)/man1/xmppdna*.1 $(DESTDIR)$(MANDIR)/man3/xmppdna*.3 \
	      $(DESTDIR)$(BASHCOMPDIR)/xmppdna $(DESTDIR)$(ZSHCOMPDIR)/_xmppdna $(DESTDIR)$(FISHCOMPDIR)/xmppdna.fish
	rm -rf $(DESTDIR)$(LUA_SHARE)/xmppdna $(DESTDIR)$(PROSODY_MODDIR) $(DESTDIR)$(LUA_LIB)/xmppdna

# The man pages: (3) from the header's comments, (1) from what the built
# command says about itself plus docs/man/xmppdna.1.extra.
man: release
	python3 scripts/make-man3.py include/xmppdna.h docs/man/man3
	python3 scripts/make-man1.py $(CLI) docs/man/xmppdna.1.extra docs/man/man1

# The committed pages must be what `make man` writes now, and format without a warning.
man-check: release
	python3 scripts/make-man3.py --check include/xmppdna.h docs/man/man3
	python3 scripts/make-man1.py --check $(CLI) docs/man/xmppdna.1.extra docs/man/man1
	@cd docs/man && for page in man1/*.1 man3/*.3; do \
	  warnings=$$(LC_ALL=C.UTF-8 groff -man -ww -z -K utf8 "$$page" 2>&1); \
	  if [ -n "$$warnings" ]; then echo "$$page: $$warnings"; exit 1; fi; \
	done; echo "man-check: every page formats without a warning"

# The release tarball: in a git checkout its tracked files as they are in
# the work tree; in an unpacked tarball the same files again (all but out/
# and the build directories), so `make test` runs there too.
DIST := $(OUT)/dist/xmppdna-$(VERSION).tar.gz
dist:
	mkdir -p $(OUT)/dist
	@# A checkout of its own, not a tarball unpacked inside another one.
	if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then mtime=$$(git log -1 --format=%ct); \
	else mtime=$$(stat -c %Y Makefile); fi; \
	if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then git ls-files -z; \
	else find . \( -path ./$(OUT) -o -path './.build*' \) -prune -o -type f -printf '%P\0'; fi | LC_ALL=C sort -z \
	  | tar --null -T - --transform 's,^,xmppdna-$(VERSION)/,' --sort=name --owner=0 --group=0 --numeric-owner \
	        --mtime=@$$mtime -cf - | gzip -n9 > $(DIST)
	@echo "dist: $(DIST)"

# Debian packages built from the tarball, as a distribution would, then lintian.
deb: dist
	@$(MAKE) --no-print-directory deps EXTRA_DEPS="$(DEB_DEPS)"
	rm -rf $(OUT)/deb && mkdir -p $(OUT)/deb
	tar -C $(OUT)/deb -xzf $(DIST)
	cd $(OUT)/deb/xmppdna-$(VERSION) && SWIFT=$(SWIFT) dpkg-buildpackage -us -uc -b
	rm -rf $(OUT)/deb/xmppdna-$(VERSION)
	@# spelling-error-in-binary: fragments of the statically linked Swift runtime's Unicode tables.
	lintian --fail-on error --display-info $(OUT)/deb/*.changes > $(OUT)/deb/lintian.txt 2>&1 || \
	  { cat $(OUT)/deb/lintian.txt; exit 1; }
	grep -v spelling-error-in-binary $(OUT)/deb/lintian.txt || true
	@ls -l $(OUT)/deb/*.deb

# The packages installed into a throwaway root, used, removed (root: unshare -m).
deb-test: deb
	Tests/Fixtures/make-test-pki.sh $(TESTROOT)/deb-pki
	Tests/Packaging/run.sh $(OUT)/deb $(TESTROOT)/deb-pki

# The release artefacts need no Swift toolchain, export only the C API and
# carry the right SONAME.
check-release: release
	scripts/check-release.sh $(LIB) $(CLI) include/xmppdna.h

test: test-deps
	$(MAKE) --no-print-directory swift-test
	$(MAKE) --no-print-directory check-release
	$(MAKE) --no-print-directory man-check
	$(MAKE) --no-print-directory drift-check
	$(MAKE) --no-print-directory c-test
	$(MAKE) --no-print-directory cli-test
	$(MAKE) --no-print-directory python-test
	$(MAKE) --no-print-directory lua-test
	$(MAKE) --no-print-directory erlang-test
	$(MAKE) --no-print-directory prosody-test
	$(MAKE) --no-print-directory ejabberd-test
	$(MAKE) --no-print-directory picture-test
	$(MAKE) --no-print-directory tsan-test
	$(MAKE) --no-print-directory asan-test
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory deb-test
	@echo "make test: all suites passed"

# The compiler refuses an import of a target not declared as a dependency;
# check-layers.py refuses a declaration that points up the layers.
SWIFT_BUILD_TESTS := $(SWIFT) build --build-tests --scratch-path $(SCRATCH) --explicit-target-dependency-import-check error

swift-test: deps
	$(SWIFT_BUILD_TESTS)
	python3 scripts/check-layers.py $(SCRATCH)/debug
	$(SWIFT) test --skip-build --scratch-path $(SCRATCH)

# The edit loop's quick tier: the layer check and the unit tests of the core and the resolver's proofs.
check: deps
	$(SWIFT_BUILD_TESTS)
	python3 scripts/check-layers.py $(SCRATCH)/debug
	$(SWIFT) test --skip-build --scratch-path $(SCRATCH) --filter "XMPPDNACoreTests|XMPPDNAResolverTests"

# The C API through the installed header, library and .pc file, under valgrind.
c-test: release
	rm -rf $(TESTROOT) && mkdir -p $(TESTROOT)
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	Tests/Fixtures/make-test-pki.sh $(TESTROOT)/pki
	Tests/C/run.sh $(TESTROOT)/prefix $(TESTROOT)/pki

# Tests/CLI/run.sh is another suite's; skipped with a notice if absent.
cli-test: release
	@if [ -f Tests/CLI/run.sh ]; then bash Tests/CLI/run.sh $(CURDIR)/$(CLI); \
	 else echo "cli-test: Tests/CLI/run.sh not present, skipped"; fi

# The Python binding, pip-installed into a venv (offline: no index, no build
# isolation) and run against the library installed under $(TESTROOT).
PYTHON ?= python3
python-test: release
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	rm -rf $(TESTROOT)/venv
	$(PYTHON) -m venv --system-site-packages $(TESTROOT)/venv
	$(TESTROOT)/venv/bin/python -m pip install -q --no-index --no-build-isolation --no-deps ./bindings/python
	cd bindings/python/tests && PKG_CONFIG_PATH=$(TESTROOT)/prefix/lib/pkgconfig \
	  $(TESTROOT)/venv/bin/python -m pytest -q -p no:cacheprovider .

# A wheel and an sdist of the Python binding in out/python (no network).
python-dist:
	mkdir -p $(OUT)/python
	cd bindings/python && $(PYTHON) -c "import sys; sys.path.insert(0, 'build_backend'); import xmppdna_build as b; \
	  print(b.build_wheel('$(CURDIR)/$(OUT)/python')); print(b.build_sdist('$(CURDIR)/$(OUT)/python'))"

# The Lua 5.4 C module and the LuaJIT FFI module, one test file for both.
lua-test: release
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	bindings/lua/run-tests.sh $(TESTROOT)/prefix

# The Erlang NIF under plain erl (EUnit), no ejabberd.
erlang-test: release
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	bindings/erlang/run-tests.sh $(TESTROOT)/prefix

# Two real Prosody servers federate through mod_s2s_auth_dna (root: unshare -n).
prosody-test: release
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	Tests/Prosody/run.sh $(TESTROOT)/prefix

# check --html/--svg for five loopback-world domains, in headless Chromium
# (root: unshare -n); pages and screenshots stay in $(TESTROOT)/pictures.
picture-test: release
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	Tests/Picture/run.sh $(TESTROOT)/prefix $(TESTROOT)/pictures

# ejabberd (Debian's 23.01) and Prosody federate through mod_s2s_dna (root: unshare -m -n).
ejabberd-test: release
	$(MAKE) --no-print-directory install PREFIX=$(TESTROOT)/prefix
	Tests/Ejabberd/run.sh $(TESTROOT)/prefix

drift-check: deps
	scripts/check-header-drift.sh $(SWIFT) $(SCRATCH)

# ThreadSanitizer over the whole Swift suite (the concurrency suites are
# the ones that share contexts across threads); its own scratch path because
# sanitized objects cannot mix with plain ones.
tsan-test: deps
	$(SWIFT) test --scratch-path $(SCRATCH)-tsan --sanitize=thread

# AddressSanitizer (with LeakSanitizer) over the whole Swift suite: the
# core, the C ABI layer, and the fuzz corpora replayed.
asan-test: deps
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp \
	  $(SWIFT) test --scratch-path $(SCRATCH)-asan --sanitize=address

# libFuzzer: a short run of every target in `make test` (two at a time),
# and long runs of FUZZ_RUNS executions each (fuzz/README.md, fuzz/RESULTS.md).
FUZZ_SECONDS ?= 30
FUZZ_RUNS    ?= 10000000
fuzz-smoke: deps
	FUZZ_SCRATCH=$(CURDIR)/$(SCRATCH)-fuzz fuzz/run.sh smoke $(FUZZ_SECONDS)

fuzz: deps
	FUZZ_SCRATCH=$(CURDIR)/$(SCRATCH)-fuzz fuzz/run.sh long $(FUZZ_RUNS)

# The validator against Unbound on a mutated DNS world (issue #16), DIFF_CASES
# cases (default 100,000; `swift test` runs 300). Summary in DIFF_SUMMARY.
DIFF_SUMMARY ?= $(CURDIR)/fuzz/dns-differential.summary
fuzz-dns-differential: test-deps
	$(SWIFT) build --build-tests --scratch-path $(SCRATCH)
	XMPPDNA_DIFF_CASES=$${DIFF_CASES:-100000} XMPPDNA_DIFF_SEED=$${DIFF_SEED:-1} XMPPDNA_DIFF_SUMMARY=$(DIFF_SUMMARY) \
	  $(SWIFT) test --skip-build --scratch-path $(SCRATCH) --filter DNSSECMutationDifferentialTests

# Benchmarks, never part of `make test`: each beside its peer, into bench/RESULTS.md.
bench: release
	@$(MAKE) --no-print-directory deps EXTRA_DEPS="libunbound-dev nsd unbound ldnsutils dnsutils lua5.4 liblua5.4-dev luajit python3 python3-venv valgrind bc"
	bench/run-all.sh

# The main job: needs root, or unprivileged user namespaces, for unshare.
demo: release
	@$(MAKE) --no-print-directory deps EXTRA_DEPS="nsd unbound ldnsutils dnsutils python3 prosody lua-unbound liblua5.4-dev iproute2 util-linux graphviz"
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/$(OUT)/demo
	scripts/demo.sh $(CURDIR)/$(OUT)/demo $(CURDIR)/$(OUT)/pages

clean:
	rm -rf $(OUT) $(SCRATCH) $(SCRATCH)-tsan $(SCRATCH)-asan $(SCRATCH)-fuzz
