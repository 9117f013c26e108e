# rasgate — one non-recursive GNU Makefile.
#   make            build everything into $(B)/
#   make check      deps, build, unit tests, fuzz corpus replay, lab (real kernel) tests
#   make asan       ASan+UBSan build, unit tests and fuzz replay
#   make fuzz       libFuzzer targets (clang) in build-fuzz/
#   make demo       see README.md
#   make install    DESTDIR-aware install to FHS paths
#   make deb        Debian package into $(B)/deb/ (packaging/mkdeb.sh)
B        ?= build
PREFIX   ?= /usr
SBINDIR  ?= $(PREFIX)/sbin
BINDIR   ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
PPPD_PLUGINDIR ?= $(PREFIX)/lib/pppd/2.4.9
MANDIR   ?= $(PREFIX)/share/man
UNITDIR  ?= /lib/systemd/system
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
PKG_CONFIG ?= pkg-config

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla -Wstrict-prototypes \
            -Wmissing-prototypes -Werror=implicit-function-declaration
CPPFLAGS += -I. -D_GNU_SOURCE
CFLAGS_PIC := -fPIC
ALLCFLAGS = -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_PIC) -MMD -MP

pc = $(shell $(PKG_CONFIG) $(1) $(2) 2>/dev/null)
SSL_LIBS   := $(call pc,--libs,openssl)
INIH_LIBS  := $(call pc,--libs,inih)
CHECK_CFLAGS := $(call pc,--cflags,check)
CHECK_LIBS := $(call pc,--libs,check)
EV_LIBS    := $(call pc,--libs,libevent libevent_openssl)
RAD_CFLAGS := $(call pc,--cflags,radcli)
RAD_LIBS   := $(call pc,--libs,radcli)
MNL_LIBS   := $(call pc,--libs,libmnl)
NFT_LIBS   := $(call pc,--libs,libnftables)
SD_LIBS    := $(call pc,--libs,libsystemd)

# ---- sources -------------------------------------------------------------
# Each module folder builds one static library of everything but its
# program entry (main.c) and pppd plugin files (plugin*.c); programs, the
# unit tests and the fuzz targets link those libraries (archives only pull
# in the objects they need, so pure code links without its event loop).
MODULES  := sstpd l2tpd ikesvc pppglue radius policy common
mod_srcs = $(sort $(filter-out $(1)/main.c $(1)/rasgatectl.c $(1)/metricsd.c $(wildcard $(1)/plugin*.c),$(wildcard $(1)/*.c)))
CTL_SRCS    := policy/rasgatectl.c
METRICS_SRCS := policy/metricsd.c
UNIT_SRCS   := $(sort $(wildcard tests/unit/*.c))
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

.SECONDEXPANSION:
obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
MODLIBS  := $(foreach m,$(MODULES),$(if $(call mod_srcs,$(m)),$(B)/lib$(m).a))
LIBCOMMON := $(B)/libcommon.a
LIBPOLICY := $(B)/libpolicy.a
LIBS_CORE := $(LIBPOLICY) $(LIBCOMMON)
EXT_LIBS  = $(INIH_LIBS) $(SSL_LIBS) $(EV_LIBS) $(RAD_LIBS) $(MNL_LIBS) $(NFT_LIBS) $(SD_LIBS)

DAEMONS  := $(foreach d,sstpd l2tpd ikesvc,$(if $(wildcard $(d)/main.c),$(B)/bin/rasgate-$(d)))
PPP_PLUGIN := $(if $(wildcard pppglue/plugin*.c),$(B)/lib/rasgate.so)
PROGS    := $(B)/bin/rasgatectl $(DAEMONS) $(B)/bin/rasgate-metrics
UNIT_BIN := $(B)/bin/unit-tests
REPLAY_BINS := $(foreach t,$(FUZZ_TARGETS),$(B)/fuzz/replay_$(t))
TEST_PROGS := $(B)/bin/radprobe $(B)/bin/l2tp_kdrive $(B)/bin/ppg_smoke $(B)/bin/xfrm_drive

# What `make install` installs besides the example configuration: the
# programs and plugin, rasgate.conf(5) generated from the schema table by
# packaging/mkman.c, the pages and systemd units of the programs that are
# built, and the configuration file with every setting commented out.
MKMAN    := $(B)/bin/mkman
MAN5     := $(B)/man/rasgate.conf.5
MAN8     := $(patsubst $(B)/bin/%,packaging/man/%.8,$(PROGS))
UNITS    := $(patsubst $(B)/bin/%,$(B)/systemd/%.service,$(DAEMONS)) \
            $(B)/systemd/rasgate-metrics.service $(B)/systemd/rasgate.target
CONF_INSTALL := $(B)/gen/rasgate.conf
INSTALLED := $(PROGS) $(PPP_PLUGIN) $(MAN5) $(UNITS) $(CONF_INSTALL)

.PHONY: all check unit fuzz-replay asan fuzz demo install installable deb \
        clean deps lab lab-setup bench
all: $(INSTALLED) $(UNIT_BIN) $(REPLAY_BINS) $(TEST_PROGS)
installable: $(INSTALLED)
# Objects reached through pattern rules are not intermediate: keep them.
.SECONDARY:

# Test helper programs (tests/cli): real code paths driven from scripts.
$(B)/bin/radprobe: $(B)/obj/tests/cli/radprobe.o $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)
$(B)/bin/%: $(B)/obj/tests/lab/%.o $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(EXTRA_CFLAGS_$(firstword $(subst /, ,$<))) -c -o $@ $<

EXTRA_CFLAGS_tests := $(CHECK_CFLAGS)
EXTRA_CFLAGS_radius := $(RAD_CFLAGS)
EXTRA_CFLAGS_pppglue := $(RAD_CFLAGS)

$(B)/lib%.a: $$(call obj,$$(call mod_srcs,$$*))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/bin/rasgatectl: $(call obj,$(CTL_SRCS)) $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)

# The Prometheus exporter (policy/metricsd.c), before the daemons' rule.
$(B)/bin/rasgate-metrics: $(call obj,$(METRICS_SRCS)) $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)

$(B)/bin/rasgate-%: $(B)/obj/%/main.o $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)

# The pppd plugin: pppglue/plugin*.c plus the module libraries, as one .so.
$(B)/lib/rasgate.so: $$(call obj,$$(wildcard pppglue/plugin*.c)) $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ $(filter %.o,$^) -Wl,--whole-archive $(B)/libpppglue.a -Wl,--no-whole-archive $(filter-out $(B)/libpppglue.a,$(MODLIBS)) $(INIH_LIBS) $(SSL_LIBS) $(RAD_LIBS)

# ---- manual pages, systemd units, installed configuration ---------------
$(MKMAN): $(B)/obj/packaging/mkman.o $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)
$(MAN5): $(MKMAN)
	@mkdir -p $(dir $@)
	$(MKMAN) > $@.tmp && mv $@.tmp $@
$(B)/systemd/%: packaging/systemd/%
	@mkdir -p $(dir $@)
	sed 's|/usr/sbin/|$(SBINDIR)/|g' $< > $@
$(CONF_INSTALL): packaging/rasgate.conf.example
	@mkdir -p $(dir $@)
	{ echo '; Installed with every setting commented out: the built-in'; \
	  echo '; defaults of rasgate.conf(5) apply, and the values shown are'; \
	  echo '; examples. Check a change with: rasgatectl check-config'; \
	  echo ';'; sed 's/^\([[A-Za-z]\)/;\1/' $<; } > $@.tmp && mv $@.tmp $@

# ---- unit tests (Check): every tests/unit/check_NAME.c exports NAME_suite()
$(B)/gen/suites.h: $(UNIT_SRCS) Makefile
	@mkdir -p $(dir $@)
	@{ for f in $(filter tests/unit/check_%.c,$(UNIT_SRCS)); do \
	     n=$$(basename $$f .c); n=$${n#check_}; echo "S($$n)"; done; } > $@.tmp && mv $@.tmp $@
$(B)/obj/tests/unit/run.o: $(B)/gen/suites.h
$(B)/obj/tests/unit/run.o: CPPFLAGS += -I$(B)/gen
$(UNIT_BIN): $(call obj,$(UNIT_SRCS)) $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS) $(CHECK_LIBS)

# ---- fuzz targets replayed over their corpus (gcc; the same code libFuzzer runs)
$(B)/fuzz/replay_%: $(B)/obj/tests/fuzz/fuzz_%.o $(B)/obj/tests/fuzz/replay.o $(MODLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(EXT_LIBS)

unit: $(UNIT_BIN)
	$(UNIT_BIN)
fuzz-replay: $(REPLAY_BINS)
	@tests/fuzz/replay.sh $(B)/fuzz $(FUZZ_TARGETS)

# ---- the two commands ----------------------------------------------------
deps:
	@packaging/deps.sh

check: deps
	$(MAKE) all
	@tests/run-all.sh $(B)

lab-setup: deps
	tests/lab/lab.sh setup
lab: all lab-setup
	tests/lab/run_all.sh $(B)

demo: deps
	$(MAKE) all
	@tests/lab/demo.sh $(B)

asan:
	$(MAKE) B=build-asan CC=gcc CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' unit fuzz-replay

FUZZ_B := build-fuzz
fuzz:
	$(MAKE) B=$(FUZZ_B) CC=clang CFLAGS='-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer' $(MODLIBS:$(B)/%=$(FUZZ_B)/%) $(foreach t,$(FUZZ_TARGETS),$(FUZZ_B)/obj/tests/fuzz/fuzz_$(t).o)
	@for t in $(FUZZ_TARGETS); do \
	  echo "  LINK $(FUZZ_B)/fuzz/fuzz_$$t"; mkdir -p $(FUZZ_B)/fuzz; \
	  clang -fsanitize=fuzzer,address,undefined -o $(FUZZ_B)/fuzz/fuzz_$$t $(FUZZ_B)/obj/tests/fuzz/fuzz_$$t.o \
	    $(MODLIBS:$(B)/%=$(FUZZ_B)/%) $(EXT_LIBS) || exit 1; done

bench:
	$(MAKE) all
	tests/bench/run.sh $(B)

# The configuration file is installed only where none exists yet.
install: $(INSTALLED)
	install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/rasgate
	install -d $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(PPPD_PLUGINDIR) $(DESTDIR)$(PREFIX)/share/doc/rasgate \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 $(PROGS) $(DESTDIR)$(SBINDIR)/
	$(if $(PPP_PLUGIN),install -m 0644 $(PPP_PLUGIN) $(DESTDIR)$(PPPD_PLUGINDIR)/)
	install -m 0644 packaging/rasgate.conf.example \
	    $(DESTDIR)$(PREFIX)/share/doc/rasgate/rasgate.conf.example
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(UNITS) $(DESTDIR)$(UNITDIR)/
	install -m 0644 packaging/systemd/tmpfiles.conf \
	    $(DESTDIR)$(TMPFILESDIR)/rasgate.conf
	test -e $(DESTDIR)$(SYSCONFDIR)/rasgate/rasgate.conf || \
	    install -m 0600 $(CONF_INSTALL) $(DESTDIR)$(SYSCONFDIR)/rasgate/rasgate.conf

# A binary package built in a staged copy of the tree (debian/ comes from
# packaging/debian); the .deb lands in $(B)/deb/.
deb:
	packaging/mkdeb.sh $(B)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
