"""Generated protobuf messages of the tact.v1 schema (context_pb2, policy_pb2, decision_pb2)."""
