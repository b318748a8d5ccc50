// Every frontend message decoder, chosen by the first byte. A message that decodes is encoded
// again and must decode to the same fields (round trip).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/frame.h"
#include "protocol/frontend.h"

namespace {

using namespace pgw;

std::string_view BodyOf(const std::string& encoded) {
  SplitResult r = SplitFrame(encoded);
  if (r.outcome != SplitOutcome::kFrame) std::abort();
  return r.frame.body;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string again;
  switch (data[0] % 12) {
    case 0: {
      Result<QueryMsg> m = DecodeQuery(body);
      if (!m.ok()) break;
      EncodeQuery(*m, &again);
      Result<QueryMsg> m2 = DecodeQuery(BodyOf(again));
      Check(m2.ok() && m2->sql == m->sql);
      break;
    }
    case 1: {
      Result<ParseMsg> m = DecodeParse(body);
      if (!m.ok()) break;
      EncodeParse(*m, &again);
      Result<ParseMsg> m2 = DecodeParse(BodyOf(again));
      Check(m2.ok() && m2->statement == m->statement && m2->query == m->query &&
            m2->param_types == m->param_types);
      break;
    }
    case 2: {
      Result<BindMsg> m = DecodeBind(body);
      Result<BindHeader> h = DecodeBindHeader(body);
      if (!m.ok()) break;
      Check(h.ok() && h->param_count == m->params.size());
      EncodeBind(*m, &again);
      Result<BindMsg> m2 = DecodeBind(BodyOf(again));
      Check(m2.ok() && m2->portal == m->portal && m2->statement == m->statement &&
            m2->param_formats == m->param_formats && m2->params == m->params &&
            m2->result_formats == m->result_formats);
      break;
    }
    case 3: {
      Result<DescribeMsg> m = DecodeDescribe(body);
      if (!m.ok()) break;
      EncodeDescribe(*m, &again);
      Result<DescribeMsg> m2 = DecodeDescribe(BodyOf(again));
      Check(m2.ok() && m2->kind == m->kind && m2->name == m->name);
      break;
    }
    case 4: {
      Result<ExecuteMsg> m = DecodeExecute(body);
      if (!m.ok()) break;
      EncodeExecute(*m, &again);
      Result<ExecuteMsg> m2 = DecodeExecute(BodyOf(again));
      Check(m2.ok() && m2->portal == m->portal && m2->max_rows == m->max_rows);
      break;
    }
    case 5: {
      Result<CloseMsg> m = DecodeClose(body);
      if (!m.ok()) break;
      EncodeClose(*m, &again);
      Result<CloseMsg> m2 = DecodeClose(BodyOf(again));
      Check(m2.ok() && m2->kind == m->kind && m2->name == m->name);
      break;
    }
    case 6:
      (void)DecodeCopyFail(body);
      break;
    case 7:
      (void)DecodeSaslInitialResponse(body);
      break;
    case 8:
      (void)DecodePassword(body);
      break;
    case 9:
      (void)ExpectEmpty(body, 'S');
      break;
    case 10:
      (void)DecodeBindHeader(body);
      break;
    default:
      (void)DecodeQuery(body);
      break;
  }
  return 0;
}
