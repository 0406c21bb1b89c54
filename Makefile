# sibatch — nightly batch processor of a city social-insurance centre.
#
#   make            build bin/sibatch
#   make check      install what is missing, start the private PostgreSQL,
#                   run every test (unit tests under ASan+UBSan, then unit +
#                   integration tests against the real cluster), stop it
#   make demo       install, build, start the cluster, generate Shishi at
#                   scale 1, run the nightly job, print where the results are
#   make eval       matcher quality on the generator's truth and on FEBRL
#   make bench      the performance benchmark (scale 1 and 10)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc

PKGS      := libpq libcjson zlib icu-uc icu-i18n libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libpq's pkg-config file may be missing on minimal systems; fall back.
PG_INC     = $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-format-truncation
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -Ibuild/gen \
             -I$(PG_INC) $(PKG_CFLAGS) -DSIB_VERSION='"$(VERSION)"'
LDLIBS     = $(PKG_LIBS) -lpq -lcjson -lz -licui18n -licuuc -lcrypto -lm -lpthread

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC   := $(sort $(shell find src -name '*.c' ! -name main.c))
SQL_FILES := $(sort $(wildcard sql/*.sql))
UNIT_SRC  := $(sort $(shell find tests/unit -name '*.c' 2>/dev/null))
INTEG_SRC := $(sort $(shell find tests/integration -name '*.c' 2>/dev/null))
SUPP_SRC  := $(sort $(shell find tests/support -name '*.c' 2>/dev/null))

OBJ       := $(LIB_SRC:%.c=build/obj/%.o) build/obj/sqlfiles.o
SAN_OBJ   := $(LIB_SRC:%.c=build/san/%.o) build/san/sqlfiles.o
TEST_OBJ  := $(UNIT_SRC:%.c=build/obj/%.o) $(INTEG_SRC:%.c=build/obj/%.o) $(SUPP_SRC:%.c=build/obj/%.o)
SANT_OBJ  := $(UNIT_SRC:%.c=build/san/%.o) $(SUPP_SRC:%.c=build/san/%.o)
DEPS      := $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(SANT_OBJ:.o=.d) build/obj/src/main.d

.PHONY: all deps check unit unit-san integration demo eval bench install uninstall clean distclean pg-start pg-stop

all: bin/sibatch

# SQL files are embedded into the binary: sib_sql_get("source") returns sql/source.sql.
build/gen/sqlfiles.c: $(SQL_FILES) scripts/embed-sql.sh
	@mkdir -p $(@D)
	sh scripts/embed-sql.sh $(SQL_FILES) > $@.tmp && mv $@.tmp $@

build/obj/sqlfiles.o: build/gen/sqlfiles.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
build/san/sqlfiles.o: build/gen/sqlfiles.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

build/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
build/san/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	@$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

build/libsibatch.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^
build/libsibatch-san.a: $(SAN_OBJ)
	@rm -f $@
	@ar rcs $@ $^

bin/sibatch: build/obj/src/main.o build/libsibatch.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

build/test_all: $(TEST_OBJ) build/libsibatch.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lcriterion $(LDLIBS)
build/test_unit_san: $(SANT_OBJ) build/libsibatch-san.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ -lcriterion $(LDLIBS)

# ---------------------------------------------------------------- tests
deps:
	@sh scripts/install-deps.sh

# Unit tests only (no database needed), under ASan + UBSan.
unit-san: build/test_unit_san
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ./build/test_unit_san --filter 'unit_*/*' -j2

# Everything: unit + integration against the private cluster. The cluster is
# stopped afterwards, also when a test fails (unless it was running before:
# then it is left as it was). The last line printed is Criterion's synthesis.
check: deps
	@$(MAKE) --no-print-directory -j2 all build/test_all build/test_unit_san
	@$(MAKE) --no-print-directory unit-san
	@if sh scripts/pg.sh status >/dev/null 2>&1; then was=1; else was=0; fi; \
	  trap 'if [ $$was = 0 ]; then sh scripts/pg.sh stop >/dev/null 2>&1; fi; exit 130' INT TERM; \
	  sh scripts/pg.sh start || exit 1; \
	  rc=0; sh scripts/with-pg.sh ./build/test_all -j2 --xml=build/test-results.xml || rc=$$?; \
	  if [ $$was = 0 ]; then sh scripts/pg.sh stop >/dev/null 2>&1; fi; exit $$rc

demo: deps
	@$(MAKE) --no-print-directory -j2 all
	@sh scripts/demo.sh

eval: all
	sh scripts/eval.sh

bench: all
	sh scripts/bench.sh

pg-start:
	@sh scripts/pg.sh start
pg-stop:
	@sh scripts/pg.sh stop

install: bin/sibatch
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sibatch/sql $(DESTDIR)$(PREFIX)/share/doc/sibatch
	install -m 0755 bin/sibatch $(DESTDIR)$(PREFIX)/bin/sibatch
	install -m 0644 $(SQL_FILES) $(DESTDIR)$(PREFIX)/share/sibatch/sql/
	install -m 0644 README.md LICENSE $(DESTDIR)$(PREFIX)/share/doc/sibatch/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sibatch
	rm -rf $(DESTDIR)$(PREFIX)/share/sibatch $(DESTDIR)$(PREFIX)/share/doc/sibatch

clean:
	rm -rf build bin

distclean: clean
	sh scripts/pg.sh destroy 2>/dev/null || true
	rm -rf out

# ---------------------------------------------------------------- FEBRL evaluation (identity)
# build/febrl_eval runs the matcher of src/resolve/match.c on shared/data/febrl;
# a test tool, not installed. scripts/eval-febrl.sh prints the table.
build/febrl_eval: build/obj/tools/febrl_eval.o build/libsibatch.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

-include $(DEPS)
