"""Generated gRPC/protobuf modules of Rerun's message proxy (`make protos`); do not edit the *_pb2 files."""
