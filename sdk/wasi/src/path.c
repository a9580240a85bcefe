/*
 * The path and socket calls, answered as a runtime without files or sockets answers them:
 * a path is resolved against a directory descriptor, and the only open descriptors (0, 1, 2)
 * are terminals, so a path call on them is ENOTDIR and on anything else EBADF (there are no
 * preopened directories; wasi-libc itself says ENOTCAPABLE before it gets here). The same
 * descriptors are not sockets: ENOTSOCK.
 */
#include "wasi.h"

static u32 no_dir(u32 fd) {
    return is_stdio(fd) ? E_NOTDIR : E_BADF;
}

/* Two directory descriptors: EBADF first if either is not open. */
static u32 no_dirs(u32 a, u32 b) {
    return is_stdio(a) && is_stdio(b) ? E_NOTDIR : E_BADF;
}

EXPORT(path_open) u32 wasi_path_open(u32 fd, u32 dirflags, u32 path, u32 len, u32 oflags,
                                     u64 rights, u64 inheriting, u32 fdflags, u32 opened) {
    (void)dirflags, (void)path, (void)len, (void)oflags, (void)rights, (void)inheriting;
    (void)fdflags, (void)opened;
    return no_dir(fd);
}

EXPORT(path_create_directory) u32 wasi_path_create_directory(u32 fd, u32 path, u32 len) {
    (void)path, (void)len;
    return no_dir(fd);
}

EXPORT(path_remove_directory) u32 wasi_path_remove_directory(u32 fd, u32 path, u32 len) {
    (void)path, (void)len;
    return no_dir(fd);
}

EXPORT(path_unlink_file) u32 wasi_path_unlink_file(u32 fd, u32 path, u32 len) {
    (void)path, (void)len;
    return no_dir(fd);
}

EXPORT(path_filestat_get) u32 wasi_path_filestat_get(u32 fd, u32 flags, u32 path, u32 len, u32 out) {
    (void)flags, (void)path, (void)len, (void)out;
    return no_dir(fd);
}

EXPORT(path_filestat_set_times) u32 wasi_path_filestat_set_times(u32 fd, u32 flags, u32 path, u32 len,
                                                                 u64 atim, u64 mtim, u32 fst_flags) {
    (void)flags, (void)path, (void)len, (void)atim, (void)mtim, (void)fst_flags;
    return no_dir(fd);
}

EXPORT(path_readlink) u32 wasi_path_readlink(u32 fd, u32 path, u32 len, u32 buf, u32 buf_len, u32 used) {
    (void)path, (void)len, (void)buf, (void)buf_len, (void)used;
    return no_dir(fd);
}

EXPORT(path_symlink) u32 wasi_path_symlink(u32 old_path, u32 old_len, u32 fd, u32 new_path, u32 new_len) {
    (void)old_path, (void)old_len, (void)new_path, (void)new_len;
    return no_dir(fd);
}

EXPORT(path_link) u32 wasi_path_link(u32 old_fd, u32 old_flags, u32 old_path, u32 old_len,
                                     u32 new_fd, u32 new_path, u32 new_len) {
    (void)old_flags, (void)old_path, (void)old_len, (void)new_path, (void)new_len;
    return no_dirs(old_fd, new_fd);
}

EXPORT(path_rename) u32 wasi_path_rename(u32 old_fd, u32 old_path, u32 old_len,
                                         u32 new_fd, u32 new_path, u32 new_len) {
    (void)old_path, (void)old_len, (void)new_path, (void)new_len;
    return no_dirs(old_fd, new_fd);
}

static u32 no_socket(u32 fd) {
    return is_stdio(fd) ? E_NOTSOCK : E_BADF;
}

EXPORT(sock_accept) u32 wasi_sock_accept(u32 fd, u32 flags, u32 out) {
    (void)flags, (void)out;
    return no_socket(fd);
}

EXPORT(sock_recv) u32 wasi_sock_recv(u32 fd, u32 iovs, u32 n, u32 flags, u32 nread, u32 oflags) {
    (void)iovs, (void)n, (void)flags, (void)nread, (void)oflags;
    return no_socket(fd);
}

EXPORT(sock_send) u32 wasi_sock_send(u32 fd, u32 iovs, u32 n, u32 flags, u32 nwritten) {
    (void)iovs, (void)n, (void)flags, (void)nwritten;
    return no_socket(fd);
}

EXPORT(sock_shutdown) u32 wasi_sock_shutdown(u32 fd, u32 how) {
    (void)how;
    return no_socket(fd);
}
