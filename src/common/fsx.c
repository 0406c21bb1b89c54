/* fsx.c — durable publishing steps (include/common/fsx.h). */
#include "common/fsx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sib_fsx_dirname(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return snprintf(out, cap, ".") < (int)cap ? SIB_OK : SIB_ERR;
    size_t n = (size_t)(slash - path);
    while (n > 0 && path[n - 1] == '/')     /* "a//b" -> "a" */
        n--;
    if (n == 0)
        return snprintf(out, cap, "/") < (int)cap ? SIB_OK : SIB_ERR;
    if (n + 1 > cap)
        return SIB_ERR;
    memcpy(out, path, n);
    out[n] = '\0';
    return SIB_OK;
}

int sib_fsx_mkdirs(const char *path, mode_t mode, sib_error *err)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return sib_error_set(err, "mkdir: bad path '%s'", path);
    memcpy(buf, path, n + 1);
    /* every prefix ending before a '/', then the whole path */
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i - 1] == '/')
            continue;
        char keep = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST)
            return sib_error_set(err, "%s: mkdir: %s", buf, strerror(errno));
        struct stat st;
        if (stat(buf, &st) != 0)
            return sib_error_set(err, "%s: %s", buf, strerror(errno));
        if (!S_ISDIR(st.st_mode))
            return sib_error_set(err, "%s: exists and is not a directory", buf);
        buf[i] = keep;
    }
    return SIB_OK;
}

int sib_fsx_fsync_dir(const char *dir, sib_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return sib_error_set(err, "%s: open directory: %s", dir, strerror(errno));
    int rc = SIB_OK;
    if (fsync(fd) != 0)
        rc = sib_error_set(err, "%s: fsync directory: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

int sib_fsx_publish(const char *tmp_path, const char *final_path, sib_error *err)
{
    char dir[PATH_MAX];
    if (sib_fsx_dirname(final_path, dir, sizeof dir) != SIB_OK)
        return sib_error_set(err, "%s: path too long", final_path);
    if (rename(tmp_path, final_path) != 0)
        return sib_error_set(err, "rename %s -> %s: %s", tmp_path, final_path, strerror(errno));
    return sib_fsx_fsync_dir(dir, err);
}

int sib_fsx_write_file(const char *path, const void *data, size_t n, mode_t mode,
                       sib_error *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return sib_error_set(err, "%s: path too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return sib_error_set(err, "%s: create temporary: %s", path, strerror(errno));
    const char *p = data;
    if (fchmod(fd, mode) != 0) {
        sib_error_set(err, "%s: chmod: %s", tmp, strerror(errno));
        goto fail;
    }
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            sib_error_set(err, "%s: write: %s", tmp, strerror(errno));
            goto fail;
        }
        p += w;
        n -= (size_t)w;
    }
    if (fsync(fd) != 0) {
        sib_error_set(err, "%s: fsync: %s", tmp, strerror(errno));
        goto fail;
    }
    int cfd = fd;
    fd = -1;
    if (close(cfd) != 0) {
        sib_error_set(err, "%s: close: %s", tmp, strerror(errno));
        goto fail;
    }
    if (sib_fsx_publish(tmp, path, err) != SIB_OK)
        goto fail;
    return SIB_OK;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);        /* harmless when the rename already happened: tmp is gone */
    return SIB_ERR;
}

/* Removes path (lstat'ed as st) and, for a directory, everything below it.
 * path is a buffer of PATH_MAX bytes, extended and restored in place. */
static int remove_at(char *path, sib_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return SIB_OK;
        return sib_error_set(err, "%s: %s", path, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0 && errno != ENOENT)
            return sib_error_set(err, "%s: unlink: %s", path, strerror(errno));
        return SIB_OK;
    }
    DIR *d = opendir(path);
    if (!d)
        return sib_error_set(err, "%s: opendir: %s", path, strerror(errno));
    size_t len = strlen(path);
    int rc = SIB_OK;
    struct dirent *de;
    while (rc == SIB_OK && (errno = 0, de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        size_t dn = strlen(de->d_name);
        if (len + 1 + dn + 1 > PATH_MAX) {
            rc = sib_error_set(err, "%s/%s: path too long", path, de->d_name);
            break;
        }
        path[len] = '/';
        memcpy(path + len + 1, de->d_name, dn + 1);
        rc = remove_at(path, err);
        path[len] = '\0';
    }
    if (rc == SIB_OK && errno != 0)
        rc = sib_error_set(err, "%s: readdir: %s", path, strerror(errno));
    closedir(d);
    if (rc == SIB_OK && rmdir(path) != 0 && errno != ENOENT)
        rc = sib_error_set(err, "%s: rmdir: %s", path, strerror(errno));
    return rc;
}

int sib_fsx_remove_tree(const char *path, sib_error *err)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return sib_error_set(err, "remove: bad path '%s'", path);
    memcpy(buf, path, n + 1);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    return remove_at(buf, err);
}
