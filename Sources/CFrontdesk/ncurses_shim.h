// The only C the terminal UI sees. Swift cannot import C macros or (in Swift 6 mode) mutable
// globals, so each one it needs gets a small static inline function here, with the reason.
#ifndef FRONTDESK_CNCURSES_SHIM_H
#define FRONTDESK_CNCURSES_SHIM_H

// Without this, <curses.h> hides the wide-character API (get_wch, mvaddwstr, ...): SwiftPM
// drops the -D_XOPEN_SOURCE flags pkg-config would give, so we ask for it ourselves.
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// `stdscr` is a mutable global: Swift 6 rejects reading it as not concurrency-safe.
static inline WINDOW *fd_stdscr(void) { return stdscr; }

// `LINES` and `COLS` are mutable globals (see fd_stdscr); getmaxyx is a macro.
static inline int fd_lines(void) { return LINES; }
static inline int fd_cols(void) { return COLS; }

// `COLORS` and `COLOR_PAIRS` are mutable globals set by start_color().
static inline int fd_colors(void) { return COLORS; }
static inline int fd_color_pairs(void) { return COLOR_PAIRS; }

// Glibc's `stdin`/`stdout` are mutable globals too; newterm() wants the FILE pointers.
static inline FILE *fd_stdin(void) { return stdin; }
static inline FILE *fd_stdout(void) { return stdout; }

// The A_* attributes are macros built from NCURSES_BITS, which Swift cannot evaluate.
static inline attr_t fd_a_normal(void) { return A_NORMAL; }
static inline attr_t fd_a_bold(void) { return A_BOLD; }
static inline attr_t fd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t fd_a_reverse(void) { return A_REVERSE; }
static inline attr_t fd_a_dim(void) { return A_DIM; }

// COLOR_PAIR is a function in ncurses 6.4 but a macro elsewhere; one spelling for both.
static inline attr_t fd_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

// ESCDELAY is a mutable global on some builds and a function-like accessor on others;
// set_escdelay() is the portable setter, wrapped so the call site does not depend on which.
static inline int fd_set_escdelay(int ms) { return set_escdelay(ms); }

// nl_langinfo(CODESET) takes the macro CODESET; Swift cannot pass the macro's value reliably.
static inline const char *fd_codeset(void) { return nl_langinfo(CODESET); }

// LC_ALL is a macro; Glibc's value differs from other libcs.
static inline const char *fd_setlocale_all(const char *name) { return setlocale(LC_ALL, name); }

// tigetstr returns (char *)-1 for "not a string capability", which Swift cannot compare to a
// pointer constant; this answers the one question we ask: can the cursor be addressed?
static inline int fd_has_cursor_addressing(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

#endif
