{
  "targets": [
    {
      "target_name": "exec",
      "sources": ["exec.c"],
      "cflags": ["-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
