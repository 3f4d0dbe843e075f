# SPDX-License-Identifier: Apache-2.0
# tracenet: one plain Makefile. `make`, `make test`, `make asan`, `make fuzz`,
# `make bench`, `make demo`, `make clean`, `make install`, `make deb`.

BUILD ?= build
CC ?= cc
PKGS := libuv openssl lmdb msgpack libsodium inih jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
OPT ?= -O2 -g
SAN ?=
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wvla \
	  -Wno-missing-field-initializers $(OPT) $(SAN) -MMD -MP $(PKG_CFLAGS)
LDFLAGS += $(SAN)
LDLIBS += $(PKG_LIBS) -lm
PREFIX ?= /usr/local
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR ?= $(PREFIX)/share/man

LIB_SRC := $(wildcard proto/*.c store/*.c crypto/*.c)
NODE_SRC := $(wildcard node/*.c node/net/*.c node/svc/*.c node/cmd/*.c)
CTL_SRC := $(wildcard node/ctl/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
NODE_OBJ := $(NODE_SRC:%.c=$(BUILD)/%.o)
CTL_OBJ := $(CTL_SRC:%.c=$(BUILD)/%.o)
UNITS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_LIB := $(patsubst %.c,$(BUILD)/%.o,$(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c)))
TOOLS := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
TOOL_LIB := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/tools/lib/*.c))

all: $(BUILD)/tracenetd $(BUILD)/tracectl

$(BUILD)/libtn.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tracenetd: $(NODE_OBJ) $(BUILD)/libtn.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tracectl: $(CTL_OBJ) $(BUILD)/libtn.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_LIB) $(BUILD)/libtn.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(BUILD)/tests/tools/%: $(BUILD)/tests/tools/%.o $(TOOL_LIB) $(BUILD)/libtn.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The report's renderer (not the command) goes into its unit test and the
# tool that draws it from synthetic statistics.
REPORT_OBJ := $(patsubst %.c,$(BUILD)/%.o,node/ctl/svg.c $(wildcard node/ctl/report_*.c))
$(BUILD)/tests/test_report: $(REPORT_OBJ)
$(BUILD)/tests/tools/report_fixture: $(REPORT_OBJ) $(BUILD)/tests/unit/stats_fixture.o

# Preloaded into a node: by `make bench` to count the commits a request
# waits for (slow_sync), by test_journal_fail to fail its flushes, by
# test_journal_direct to refuse direct I/O (no_direct). Built
# without the sanitizers, which must come first in a process.
$(BUILD)/tests/tools/%.so: tests/tools/preload/%.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(SAN),$(CFLAGS)) -fPIC -shared -o $@ $< -ldl

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

units: $(UNITS) $(TOOLS) $(BUILD)/tests/tools/fail_sync.so $(BUILD)/tests/tools/no_direct.so

# Unit tests, then the integration suite against real daemons.
test: all units
	@BUILD=$(BUILD) scripts/run-tests.sh

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

valgrind: all units
	@BUILD=$(BUILD) VALGRIND=1 scripts/run-tests.sh

fuzz:
	@scripts/fuzz.sh build

fuzz-smoke:
	@scripts/fuzz.sh smoke

bench:
	@BUILD=$(BUILD) scripts/bench.sh

demo: 
	@scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/tracenetd $(BUILD)/tracectl $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	sed 's|/usr/bin/tracenetd|$(PREFIX)/bin/tracenetd|' dist/tracenetd.service \
		>$(DESTDIR)$(UNITDIR)/tracenetd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/tracenetd.service
	install -m 0644 man/tracenet.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/tracenetd.8 man/tracectl.8 $(DESTDIR)$(MANDIR)/man8/

# build/tracenet_VERSION_ARCH.deb (dpkg-deb; scripts/mkdeb.sh).
deb: all
	@BUILD=$(BUILD) scripts/mkdeb.sh

clean:
	rm -rf build

.PHONY: all units test asan valgrind fuzz fuzz-smoke bench demo install deb clean
# Keep object files of tests and tools: no "rm" after the test summary.
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
