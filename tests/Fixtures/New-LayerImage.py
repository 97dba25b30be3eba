#!/usr/bin/env python3
"""Writes an OCI image layout whose layers are tar archives built entry by entry from a JSON spec.

    python3 New-LayerImage.py SPEC.json OUTDIR

The layers are test fixtures for extraction: entry names and link targets are written exactly as the spec gives
them (`../x`, `/etc/x`, names with NUL or 64 KiB long), and a layer may end in a hostile construction that
tarfile will not make on its own ("raw"). Everything is deterministic: the same spec gives the same bytes, so
digests can be compared across runs and tools.

Spec (JSON):
  {"tag": "v1", "os": "linux", "architecture": "amd64",
   "layers": [{"compression": "gzip|zstd|none",            default gzip
               "mediaType": "...",                        optional override (a mislabel, "+encrypted", ...)
               "format": "pax|gnu|ustar",                  default pax
               "entries": [{"path": "...", "type": "file|dir|symlink|hardlink|char|block|fifo",
                            "content": "text",             or "size": N bytes, random (seeded by layer and path)
                            "fill": "random|zero",         what "size" bytes are (zero: for decompression bombs)
                            "mode": "0755", "uid": 0, "gid": 0, "uname": "", "gname": "",
                            "mtime": 1700000000.5, "linkname": "...", "devmajor": 1, "devminor": 3}],
               "raw": "..."}]}                             optional, appended after the entries, see RAW below

Prints a JSON summary on stdout: the layout, the manifest digest and each layer's digest, diffId, size and
media type. The zstd layers need the zstd command line tool; the rest is the standard library.
"""

import gzip
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile

DEFAULT_MTIME = 1700000000
BLOCK = 512

MEDIA_TYPES = {
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    "none": "application/vnd.oci.image.layer.v1.tar",
}
FORMATS = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}
TYPES = {
    "file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
    "char": tarfile.CHRTYPE, "block": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE,
}
DEFAULT_MODES = {"dir": 0o755, "symlink": 0o777}


def entry_data(layer_index, entry):
    if "content" in entry:
        return entry["content"].encode("utf-8")
    size = int(entry.get("size", 0))
    if entry.get("fill", "random") == "zero":
        return bytes(size)
    # Seeded by where the entry is, so two specs that differ elsewhere still agree on this file's bytes.
    seed = hashlib.sha256(f"{layer_index}:{entry['path']}".encode("utf-8", "surrogateescape")).digest()
    return random.Random(seed).randbytes(size)


def tar_info(entry, data):
    kind = entry.get("type", "file")
    info = tarfile.TarInfo()
    # Assigned, not passed through TarFile.add (which strips a leading "/"): addfile writes the name as it is.
    # get_info() only appends "/" to directory names, which is how tar writes them anyway.
    info.name = entry["path"]
    info.type = TYPES[kind]
    info.mode = int(str(entry["mode"]), 8) if "mode" in entry else DEFAULT_MODES.get(kind, 0o644)
    info.uid = int(entry.get("uid", 0))
    info.gid = int(entry.get("gid", 0))
    info.uname = entry.get("uname", "")
    info.gname = entry.get("gname", "")
    info.mtime = entry.get("mtime", DEFAULT_MTIME)
    info.linkname = entry.get("linkname", "")
    info.devmajor = int(entry.get("devmajor", 0))
    info.devminor = int(entry.get("devminor", 0))
    info.size = len(data) if kind == "file" else 0
    # A NUL fits the ustar name field and would silently cut the name there: a pax record keeps it whole.
    if "\0" in info.name:
        info.pax_headers["path"] = info.name
    if "\0" in info.linkname:
        info.pax_headers["linkpath"] = info.linkname
    return info


def header(info, fmt):
    return info.tobuf(fmt, "utf-8", "surrogateescape")


def pad(data):
    return data + bytes(-len(data) % BLOCK)


def checksummed(block):
    """Writes the checksum of a 512-byte header block edited after tarfile built it."""
    block = bytearray(block)
    block[148:156] = b"        "
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


# RAW: hostile constructions appended after the entries. Each leaves the archive as the attack needs it.
def raw_huge_size_header(out, fmt):
    # A header claiming 8 GiB - 1 (the largest octal size) with a few bytes behind it: refuse on the claim.
    info = tarfile.TarInfo("huge.bin")
    info.size = 0o77777777777
    info.mtime = DEFAULT_MTIME
    out.write(header(info, tarfile.USTAR_FORMAT))
    out.write(pad(b"not 8 GiB"))
    out.write(bytes(2 * BLOCK))


def raw_truncated(out, fmt):
    # A file of 10000 bytes cut after 3000, and no end-of-archive blocks.
    info = tarfile.TarInfo("truncated.bin")
    info.size = 10000
    info.mtime = DEFAULT_MTIME
    out.write(header(info, tarfile.USTAR_FORMAT))
    out.write(random.Random(10000).randbytes(3000))


def raw_sparse(out, fmt):
    # An old GNU sparse file ('S'): 4 KiB of data stored, mapped at offset 1 MiB of a 2 MiB file.
    info = tarfile.TarInfo("sparse.bin")
    info.type = tarfile.GNUTYPE_SPARSE
    info.size = 4096
    info.mtime = DEFAULT_MTIME
    block = bytearray(header(info, tarfile.GNU_FORMAT))
    block[386:398] = b"%011o\0" % (1 << 20)    # sparse[0].offset
    block[398:410] = b"%011o\0" % 4096         # sparse[0].numbytes
    block[482] = 0                             # isextended
    block[483:495] = b"%011o\0" % (2 << 20)    # realsize
    out.write(checksummed(block))
    out.write(pad(random.Random(4096).randbytes(4096)))
    out.write(bytes(2 * BLOCK))


def raw_sparse_pax(out, fmt):
    # A PAX 1.0 sparse file: a regular-file entry whose data starts with the map; a reader that does not know
    # the GNU.sparse records would write the map as content under the placeholder name.
    data = random.Random(4096).randbytes(4096)
    sparse_map = pad(b"1\n%d\n%d\n" % (1 << 20, len(data)))
    info = tarfile.TarInfo("GNUSparseFile.0/sparse-pax.bin")
    info.size = len(sparse_map) + len(data)
    info.mtime = DEFAULT_MTIME
    info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
                        "GNU.sparse.name": "sparse-pax.bin", "GNU.sparse.realsize": str(2 << 20)}
    out.write(header(info, tarfile.PAX_FORMAT))
    out.write(pad(sparse_map + data))
    out.write(bytes(2 * BLOCK))


def raw_long_pax_path(out, fmt):
    # A pax path of 64 KiB (components of 255 bytes, each legal on its own): far over PATH_MAX.
    name = "/".join(["p" * 255] * 256)[:65536]
    info = tarfile.TarInfo(name)
    info.size = 5
    info.mtime = DEFAULT_MTIME
    info.pax_headers = {"path": name}
    out.write(header(info, tarfile.PAX_FORMAT))
    out.write(pad(b"long\n"))
    out.write(bytes(2 * BLOCK))


RAW = {
    "huge-size-header": raw_huge_size_header,
    "truncated": raw_truncated,
    "sparse": raw_sparse,
    "sparse-pax": raw_sparse_pax,
    "long-pax-path": raw_long_pax_path,
}


def build_tar(layer_index, layer):
    fmt = FORMATS[layer.get("format", "pax")]
    out = io.BytesIO()
    for entry in layer.get("entries", []):
        data = entry_data(layer_index, entry)
        info = tar_info(entry, data)
        out.write(header(info, fmt))
        if info.type == tarfile.REGTYPE:
            out.write(pad(data))
    raw = layer.get("raw")
    if raw:
        if raw not in RAW:
            raise SystemExit(f"unknown raw construction {raw!r}; known: {', '.join(sorted(RAW))}")
        RAW[raw](out, fmt)
    else:
        # End of archive, then padding to tar's 10 KiB record as tar(1) and tarfile write it.
        out.write(bytes(2 * BLOCK))
        out.write(bytes(-out.tell() % tarfile.RECORDSIZE))
    return out.getvalue()


def compress(data, compression):
    if compression == "none":
        return data
    if compression == "gzip":
        # mtime 0 and no file name in the gzip header: the same tar gives the same blob.
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0, filename="") as stream:
            stream.write(data)
        return buffer.getvalue()
    if compression == "zstd":
        return subprocess.run(["zstd", "-q", "-c", "-3", "--no-progress", "-"], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    raise SystemExit(f"unknown compression {compression!r}")


def write_blob(blobs, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as stream:
        stream.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def canonical(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: New-LayerImage.py SPEC.json OUTDIR")
    with open(argv[1], encoding="utf-8") as stream:
        spec = json.load(stream)
    outdir = argv[2]
    blobs = os.path.join(outdir, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    with open(os.path.join(outdir, "oci-layout"), "wb") as stream:
        stream.write(canonical({"imageLayoutVersion": "1.0.0"}))

    layers, diff_ids = [], []
    for index, layer in enumerate(spec.get("layers", [])):
        tar = build_tar(index, layer)
        compression = layer.get("compression", "gzip")
        blob = write_blob(blobs, compress(tar, compression))
        diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
        layers.append({"mediaType": layer.get("mediaType", MEDIA_TYPES[compression]), **blob})

    config = {
        "architecture": spec.get("architecture", "amd64"),
        "os": spec.get("os", "linux"),
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }
    config_blob = write_blob(blobs, canonical(config))
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config_blob},
        "layers": layers,
    }
    manifest_blob = write_blob(blobs, canonical(manifest))
    tag = spec.get("tag", "v1")
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": manifest["mediaType"], **manifest_blob,
                       "annotations": {"org.opencontainers.image.ref.name": tag}}],
    }
    with open(os.path.join(outdir, "index.json"), "wb") as stream:
        stream.write(canonical(index))

    json.dump({"layout": os.path.abspath(outdir), "tag": tag, "manifest": manifest_blob["digest"],
               "config": config_blob["digest"],
               "layers": [dict(layer, diffId=diff_id) for layer, diff_id in zip(layers, diff_ids)]},
              sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
