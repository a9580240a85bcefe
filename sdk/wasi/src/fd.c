/*
 * The file descriptor calls on a file-less board: fd_write (fd 1, 2 -> the console), fd_read
 * (fd 0 is at end of file), fd_fdstat_get / fd_filestat_get (the standard streams are
 * character devices with a tty's rights), and the answers a POSIX system gives for the rest
 * on a terminal (ESPIPE for positions, EINVAL for sync and truncation, ...). Every descriptor
 * other than 0, 1, 2 is not open: EBADF, and no preopened directories exist.
 */
#include "wasi.h"

/* rights (witx `rights`) of the streams: the reads or writes, flags, stat, poll. No seek or
 * tell, which is what makes wasi-libc's isatty() say yes. */
#define RIGHT_FD_READ (1ull << 1)
#define RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define RIGHT_FD_WRITE (1ull << 6)
#define RIGHT_FD_FILESTAT_GET (1ull << 21)
#define RIGHT_POLL_FD_READWRITE (1ull << 27)
#define RIGHTS_TTY (RIGHT_FD_FDSTAT_SET_FLAGS | RIGHT_FD_FILESTAT_GET | RIGHT_POLL_FD_READWRITE)

/* fdflags: append, dsync, nonblock, rsync, sync */
#define FDFLAGS_ALL 0x1fu

/* fd_write(fd, iovs, iovs_len, nwritten): one console_write per non-empty ciovec {buf, len}. */
EXPORT(fd_write) u32 wasi_fd_write(u32 fd, u32 iovs, u32 n, u32 nwritten) {
    if (fd != 1 && fd != 2) return E_BADF;
    u32 total = 0;
    for (u32 i = 0; i < n; i++, iovs += 8) {
        u32 buf = get32(iovs), len = get32(iovs + 4);
        if (len) wl_console_write(buf, len);
        total += len;
    }
    put32(nwritten, total);
    return E_SUCCESS;
}

/* fd_read(fd, iovs, iovs_len, nread): standard input has nothing: end of file. */
EXPORT(fd_read) u32 wasi_fd_read(u32 fd, u32 iovs, u32 n, u32 nread) {
    (void)iovs, (void)n;
    if (fd != 0) return E_BADF;
    put32(nread, 0);
    return E_SUCCESS;
}

/* fd_fdstat_get(fd, fdstat*): {filetype u8 @0, flags u16 @2, rights_base @8, inheriting @16} */
EXPORT(fd_fdstat_get) u32 wasi_fd_fdstat_get(u32 fd, u32 out) {
    if (!is_stdio(fd)) return E_BADF;
    put64(out, FILETYPE_CHARACTER_DEVICE); /* filetype, padding, flags 0 */
    put64(out + 8, RIGHTS_TTY | (fd == 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE));
    put64(out + 16, 0);
    return E_SUCCESS;
}

/* The console already appends, never blocks and writes synchronously: every flag holds. */
EXPORT(fd_fdstat_set_flags) u32 wasi_fd_fdstat_set_flags(u32 fd, u32 flags) {
    if (!is_stdio(fd)) return E_BADF;
    return (flags & 0xffffu & ~FDFLAGS_ALL) ? E_INVAL : E_SUCCESS;
}

EXPORT(fd_fdstat_set_rights) u32 wasi_fd_fdstat_set_rights(u32 fd, u64 base, u64 inheriting) {
    (void)base, (void)inheriting;
    return is_stdio(fd) ? E_NOTSUP : E_BADF;
}

/* fd_filestat_get(fd, filestat*): 64 bytes, a character device with one link, all else 0. */
EXPORT(fd_filestat_get) u32 wasi_fd_filestat_get(u32 fd, u32 out) {
    if (!is_stdio(fd)) return E_BADF;
    for (u32 i = 0; i < 64; i += 8) put64(out + i, 0);
    put8(out + 16, FILETYPE_CHARACTER_DEVICE);
    put64(out + 24, 1);
    return E_SUCCESS;
}

EXPORT(fd_close) u32 wasi_fd_close(u32 fd) {
    return is_stdio(fd) ? E_SUCCESS : E_BADF;
}

/* A terminal has no position. */
static u32 no_position(u32 fd) {
    return is_stdio(fd) ? E_SPIPE : E_BADF;
}

EXPORT(fd_seek) u32 wasi_fd_seek(u32 fd, u64 offset, u32 whence, u32 newoffset) {
    (void)offset, (void)whence, (void)newoffset;
    return no_position(fd);
}

EXPORT(fd_tell) u32 wasi_fd_tell(u32 fd, u32 offset) {
    (void)offset;
    return no_position(fd);
}

EXPORT(fd_pread) u32 wasi_fd_pread(u32 fd, u32 iovs, u32 n, u64 offset, u32 nread) {
    (void)iovs, (void)n, (void)offset, (void)nread;
    return no_position(fd);
}

EXPORT(fd_pwrite) u32 wasi_fd_pwrite(u32 fd, u32 iovs, u32 n, u64 offset, u32 nwritten) {
    (void)iovs, (void)n, (void)offset, (void)nwritten;
    return no_position(fd);
}

EXPORT(fd_advise) u32 wasi_fd_advise(u32 fd, u64 offset, u64 len, u32 advice) {
    (void)offset, (void)len, (void)advice;
    return no_position(fd);
}

/* posix_fallocate on a character device: ENODEV. */
EXPORT(fd_allocate) u32 wasi_fd_allocate(u32 fd, u64 offset, u64 len) {
    (void)offset, (void)len;
    return is_stdio(fd) ? E_NODEV : E_BADF;
}

/* fsync, fdatasync and ftruncate on a terminal: EINVAL. */
static u32 not_a_file(u32 fd) {
    return is_stdio(fd) ? E_INVAL : E_BADF;
}

EXPORT(fd_sync) u32 wasi_fd_sync(u32 fd) {
    return not_a_file(fd);
}

EXPORT(fd_datasync) u32 wasi_fd_datasync(u32 fd) {
    return not_a_file(fd);
}

EXPORT(fd_filestat_set_size) u32 wasi_fd_filestat_set_size(u32 fd, u64 size) {
    (void)size;
    return not_a_file(fd);
}

EXPORT(fd_filestat_set_times) u32 wasi_fd_filestat_set_times(u32 fd, u64 atim, u64 mtim, u32 flags) {
    (void)atim, (void)mtim, (void)flags;
    return is_stdio(fd) ? E_NOTSUP : E_BADF;
}

EXPORT(fd_readdir) u32 wasi_fd_readdir(u32 fd, u32 buf, u32 len, u64 cookie, u32 used) {
    (void)buf, (void)len, (void)cookie, (void)used;
    return is_stdio(fd) ? E_NOTDIR : E_BADF;
}

/* The streams cannot be moved onto each other (they are not interchangeable). */
EXPORT(fd_renumber) u32 wasi_fd_renumber(u32 from, u32 to) {
    return is_stdio(from) && is_stdio(to) ? E_NOTSUP : E_BADF;
}

/* No preopened directories: wasi-libc asks fd 3, 4, ... and stops at the first EBADF. */
EXPORT(fd_prestat_get) u32 wasi_fd_prestat_get(u32 fd, u32 out) {
    (void)fd, (void)out;
    return E_BADF;
}

EXPORT(fd_prestat_dir_name) u32 wasi_fd_prestat_dir_name(u32 fd, u32 path, u32 len) {
    (void)fd, (void)path, (void)len;
    return E_BADF;
}
