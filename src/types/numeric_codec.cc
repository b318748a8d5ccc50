// numeric: text input (numeric_in), text output (numeric_out, never exponent notation), typmod
// rounding and overflow check (apply_typmod), and the numeric_send/numeric_recv binary form
// (base-10000 digit groups).
#include <cstdio>
#include <string>
#include <vector>

#include "common/byte_io.h"
#include "common/sqlstate.h"
#include "types/codec_internal.h"

namespace pgw::codec {
namespace {

constexpr int32_t kVarHeader = 4;
constexpr int kMaxExponent = 1000;      // |e| accepted in "1.5e3"-style input
constexpr int kMaxBinaryWeight = 1000;  // base-10000 groups either side of the point
constexpr uint16_t kSignPos = 0x0000;
constexpr uint16_t kSignNeg = 0x4000;
constexpr uint16_t kSignNaN = 0xC000;
constexpr uint16_t kSignPInf = 0xD000;
constexpr uint16_t kSignNInf = 0xF000;
constexpr uint16_t kMaxDscale = 0x3FFF;
constexpr int kDecDigits = 4;
constexpr int16_t kInfinityDscale = 0x20;  // decimal digits per base-10000 group

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsNoCase(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[i]) return false;
  }
  return true;
}

bool IsZero(const Decimal& d) { return d.digits.find_first_not_of('0') == std::string::npos; }

// Removes integer-part leading zeros, keeping digits.size() >= scale.
void Normalize(Decimal* d) {
  size_t strip = 0;
  while (strip < d->digits.size() && d->digits.size() - strip > static_cast<size_t>(d->scale) &&
         d->digits[strip] == '0') {
    ++strip;
  }
  d->digits.erase(0, strip);
  if (IsZero(*d)) d->negative = false;
}

Status Overflow() {
  return Status::Error(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
}

// Rounds half away from zero so that `drop` trailing digits disappear.
void RoundOff(Decimal* d, size_t drop) {
  if (drop == 0) return;
  if (d->digits.size() < drop + 1) d->digits.insert(0, drop + 1 - d->digits.size(), '0');
  size_t keep = d->digits.size() - drop;
  bool up = d->digits[keep] >= '5';
  d->digits.resize(keep);
  for (size_t i = keep; up && i > 0; --i) {
    if (d->digits[i - 1] == '9') {
      d->digits[i - 1] = '0';
    } else {
      ++d->digits[i - 1];
      up = false;
    }
  }
  if (up) d->digits.insert(d->digits.begin(), '1');
}

}  // namespace

Status ParseDecimal(std::string_view input, Decimal* out) {
  *out = Decimal();
  std::string_view s = TrimSpaces(input);
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    out->negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsNoCase(s, "nan")) {
    out->special = Decimal::Special::kNaN;
    out->negative = false;
    return Status::OK();
  }
  if (EqualsNoCase(body, "infinity") || EqualsNoCase(body, "inf")) {
    out->special = out->negative ? Decimal::Special::kNegInf : Decimal::Special::kPosInf;
    out->negative = false;
    return Status::OK();
  }
  size_t i = 0;
  std::string all;
  size_t int_len = 0;
  while (i < body.size() && IsDigit(body[i])) all.push_back(body[i++]);
  int_len = all.size();
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && IsDigit(body[i])) all.push_back(body[i++]);
  }
  if (all.empty()) return InvalidSyntax("numeric", input);
  long exp = 0;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    bool exp_neg = false;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) exp_neg = body[i++] == '-';
    if (i >= body.size() || !IsDigit(body[i])) return InvalidSyntax("numeric", input);
    while (i < body.size() && IsDigit(body[i])) {
      exp = exp * 10 + (body[i++] - '0');
      if (exp > kMaxExponent) return InvalidSyntax("numeric", input);
    }
    if (exp_neg) exp = -exp;
  }
  if (i != body.size()) return InvalidSyntax("numeric", input);
  long frac_len = static_cast<long>(all.size() - int_len);
  long point = static_cast<long>(int_len) + exp;  // digits before the point
  long scale = frac_len - exp > 0 ? frac_len - exp : 0;
  if (point <= 0) {
    all.insert(0, static_cast<size_t>(-point), '0');
  } else if (static_cast<size_t>(point) > all.size()) {
    all.append(static_cast<size_t>(point) - all.size(), '0');
  }
  out->digits = std::move(all);
  out->scale = static_cast<int>(scale);
  Normalize(out);
  return Status::OK();
}

void DecimalFromInt(int64_t v, Decimal* out) {
  *out = Decimal();
  out->negative = v < 0;
  uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  out->digits = mag == 0 ? std::string() : std::to_string(mag);
}

void DecimalFromDouble(double v, Decimal* out) {
  *out = Decimal();
  if (v != v) {
    out->special = Decimal::Special::kNaN;
    return;
  }
  if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
    out->special = v > 0 ? Decimal::Special::kPosInf : Decimal::Special::kNegInf;
    return;
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.15g", v);  // float8_numeric uses DBL_DIG digits
  (void)ParseDecimal(buf, out);
}

Status ApplyNumericTypmod(int32_t typmod, Decimal* d) {
  if (typmod < kVarHeader) return Status::OK();
  int32_t t = typmod - kVarHeader;
  int precision = (t >> 16) & 0xFFFF;
  int scale = ((t & 0x7ff) ^ 1024) - 1024;
  if (d->special == Decimal::Special::kNaN) return Status::OK();
  if (d->special != Decimal::Special::kNone) {
    return Status::Error(sqlstate::kNumericValueOutOfRange, "numeric field overflow")
        .WithDetail("A field with precision " + std::to_string(precision) + ", scale " +
                    std::to_string(scale) + " cannot hold an infinite value.");
  }
  if (d->scale > scale) {
    RoundOff(d, static_cast<size_t>(d->scale - scale));
    if (scale < 0) d->digits.append(static_cast<size_t>(-scale), '0');
    d->scale = scale > 0 ? scale : 0;
  } else if (d->scale < scale) {
    d->digits.append(static_cast<size_t>(scale - d->scale), '0');
    d->scale = scale;
  }
  Normalize(d);
  int maxdigits = precision - scale;
  size_t int_digits = d->digits.size() - static_cast<size_t>(d->scale);
  if (!IsZero(*d) && static_cast<int>(int_digits) > maxdigits) {
    std::string limit = maxdigits > 0 ? "10^" + std::to_string(maxdigits) : "1";
    return Status::Error(sqlstate::kNumericValueOutOfRange, "numeric field overflow")
        .WithDetail("A field with precision " + std::to_string(precision) + ", scale " +
                    std::to_string(scale) + " must round to an absolute value less than " + limit +
                    ".");
  }
  return Status::OK();
}

void AppendDecimalText(const Decimal& d, std::string* out) {
  switch (d.special) {
    case Decimal::Special::kNaN:
      out->append("NaN");
      return;
    case Decimal::Special::kPosInf:
      out->append("Infinity");
      return;
    case Decimal::Special::kNegInf:
      out->append("-Infinity");
      return;
    case Decimal::Special::kNone:
      break;
  }
  size_t scale = static_cast<size_t>(d.scale);
  size_t int_len = d.digits.size() > scale ? d.digits.size() - scale : 0;
  if (d.negative && !IsZero(d)) out->push_back('-');
  if (int_len == 0) {
    out->push_back('0');
  } else {
    out->append(d.digits, 0, int_len);
  }
  if (scale > 0) {
    out->push_back('.');
    if (d.digits.size() < scale) out->append(scale - d.digits.size(), '0');
    out->append(d.digits, int_len, std::string::npos);
  }
}

void AppendDecimalBinary(const Decimal& d, std::string* out) {
  ByteWriter w(out);
  if (d.special != Decimal::Special::kNone) {
    uint16_t sign = d.special == Decimal::Special::kNaN      ? kSignNaN
                    : d.special == Decimal::Special::kPosInf ? kSignPInf
                                                             : kSignNInf;
    w.PutInt16(0);
    w.PutInt16(0);
    w.PutInt16(static_cast<int16_t>(sign));
    // numeric_send reads dscale bits out of the special header: 0 for NaN, 32 for infinities.
    w.PutInt16(d.special == Decimal::Special::kNaN ? 0 : kInfinityDscale);
    return;
  }
  size_t scale = static_cast<size_t>(d.scale);
  std::string digits = d.digits;
  if (digits.size() < scale) digits.insert(0, scale - digits.size(), '0');
  size_t int_len = digits.size() - scale;
  size_t int_pad = (kDecDigits - int_len % kDecDigits) % kDecDigits;
  size_t frac_pad = (kDecDigits - scale % kDecDigits) % kDecDigits;
  std::string padded(int_pad, '0');
  padded += digits;
  padded.append(frac_pad, '0');
  std::vector<int16_t> groups;
  for (size_t i = 0; i < padded.size(); i += kDecDigits) {
    groups.push_back(static_cast<int16_t>(std::stoi(padded.substr(i, kDecDigits))));
  }
  int weight = static_cast<int>((int_len + int_pad) / kDecDigits) - 1;
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  if (first == last) weight = 0;
  w.PutInt16(static_cast<int16_t>(last - first));
  w.PutInt16(static_cast<int16_t>(weight));
  w.PutInt16(static_cast<int16_t>(d.negative && first != last ? kSignNeg : kSignPos));
  w.PutInt16(static_cast<int16_t>(d.scale));
  for (size_t i = first; i < last; ++i) w.PutInt16(groups[i]);
}

Status DecodeDecimalBinary(std::string_view wire, Decimal* out) {
  *out = Decimal();
  ByteReader r(wire);
  int16_t ndigits = 0, weight = 0, sign_raw = 0, dscale_raw = 0;
  if (!r.ReadInt16(&ndigits) || !r.ReadInt16(&weight) || !r.ReadInt16(&sign_raw) ||
      !r.ReadInt16(&dscale_raw) || ndigits < 0 ||
      r.remaining() != static_cast<size_t>(ndigits) * 2) {
    return BadBinary("incorrect binary data format");
  }
  auto sign = static_cast<uint16_t>(sign_raw);
  auto dscale = static_cast<uint16_t>(dscale_raw);
  if (sign != kSignPos && sign != kSignNeg && sign != kSignNaN && sign != kSignPInf &&
      sign != kSignNInf) {
    return BadBinary("invalid sign in external \"numeric\" value");
  }
  if (sign == kSignNaN || sign == kSignPInf || sign == kSignNInf) {
    out->special = sign == kSignNaN    ? Decimal::Special::kNaN
                   : sign == kSignPInf ? Decimal::Special::kPosInf
                                       : Decimal::Special::kNegInf;
    return Status::OK();
  }
  if ((dscale & kMaxDscale) != dscale)
    return BadBinary("invalid scale in external \"numeric\" value");
  if (weight > kMaxBinaryWeight || weight < -kMaxBinaryWeight || dscale > kMaxBinaryWeight * 4) {
    return Overflow();
  }
  std::vector<int> groups(static_cast<size_t>(ndigits));
  for (int& g : groups) {
    int16_t v = 0;
    (void)r.ReadInt16(&v);
    if (v < 0 || v > 9999) return BadBinary("invalid digit in external \"numeric\" value");
    g = v;
  }
  // Integer groups are weights weight..0; fraction groups -1, -2, ...
  std::string int_part, frac_part;
  for (int wgt = weight; wgt >= 0; --wgt) {
    int idx = weight - wgt;
    int g = idx < ndigits ? groups[static_cast<size_t>(idx)] : 0;
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%04d", g);
    int_part += buf;
  }
  size_t frac_groups = (static_cast<size_t>(dscale) + kDecDigits - 1) / kDecDigits;
  for (size_t k = 1; k <= frac_groups; ++k) {
    int idx = weight + static_cast<int>(k);  // index of weight -k
    int g = idx >= 0 && idx < ndigits ? groups[static_cast<size_t>(idx)] : 0;
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%04d", g);
    frac_part += buf;
  }
  frac_part.resize(dscale);
  out->negative = sign == kSignNeg;
  out->digits = int_part + frac_part;
  out->scale = dscale;
  Normalize(out);
  return Status::OK();
}

}  // namespace pgw::codec
