/** The attention mechanisms of the playground. */
export type MechanismId = 'scaled-dot' | 'multi-head' | 'additive' | 'luong-dot' | 'luong-general' | 'luong-concat' | 'cosine' | 'local-m' | 'local-p';

/** A mechanism's name, its formulas as in the source article, and the article. */
export interface Mechanism {
  id: MechanismId;
  label: string;
  /** The @heed/attention export that computes it. */
  api: string;
  /** Formula lines, plain Unicode (q = query row t, k = key row s). */
  formulas: readonly string[];
  source: string;
}

export const MECHANISMS: readonly Mechanism[] = [
  {
    id: 'scaled-dot',
    label: 'Scaled dot-product',
    api: 'scaledDotProductAttention(query, key, value, { mask, returnWeights: true })',
    formulas: ['Attention(Q, K, V) = softmax(Q Kᵀ / √dₖ) V', 'Q = X W_Q,  K = X W_K,  V = X'],
    source: 'Vaswani et al. 2017, “Attention Is All You Need”, eq. (1)',
  },
  {
    id: 'multi-head',
    label: 'Multi-head',
    api: 'new MultiHeadAttention({ numHeads, keyDim }).apply([x, x], { attentionMask, returnAttentionScores: true })',
    formulas: ['MultiHead(Q, K, V) = Concat(head₁, …, head_h) Wᴼ', 'headᵢ = softmax((Q Wᵢ^Q)(K Wᵢ^K)ᵀ / √dₖ) V Wᵢ^V,   dₖ = d / h'],
    source: 'Vaswani et al. 2017, “Attention Is All You Need”, §3.2.2',
  },
  {
    id: 'additive',
    label: 'Additive (Bahdanau)',
    api: 'new AdditiveAttention({ units }).apply([x, x], { attentionMask, returnAttentionScores: true })',
    formulas: ['e_ts = vₐᵀ tanh(Wₐ q_t + Uₐ k_s)', 'α_ts = exp(e_ts) / Σ_s′ exp(e_ts′)'],
    source: 'Bahdanau, Cho & Bengio 2015, “Neural Machine Translation by Jointly Learning to Align and Translate”, eq. (6) and §A.1.2',
  },
  {
    id: 'luong-dot',
    label: 'Luong dot',
    api: "new LuongAttention({ scoreMode: 'dot' })",
    formulas: ['score(h_t, h̄_s) = h_tᵀ h̄_s', 'a_t(s) = softmax_s(score(h_t, h̄_s))'],
    source: 'Luong, Pham & Manning 2015, “Effective Approaches to Attention-based NMT”, eq. (7)–(8)',
  },
  {
    id: 'luong-general',
    label: 'Luong general',
    api: "new LuongAttention({ scoreMode: 'general' })",
    formulas: ['score(h_t, h̄_s) = h_tᵀ Wₐ h̄_s', 'a_t(s) = softmax_s(score(h_t, h̄_s))'],
    source: 'Luong, Pham & Manning 2015, eq. (8)',
  },
  {
    id: 'luong-concat',
    label: 'Luong concat',
    api: "new LuongAttention({ scoreMode: 'concat', units })",
    formulas: ['score(h_t, h̄_s) = vₐᵀ tanh(Wₐ [h_t ; h̄_s])', 'a_t(s) = softmax_s(score(h_t, h̄_s))'],
    source: 'Luong, Pham & Manning 2015, eq. (8)',
  },
  {
    id: 'cosine',
    label: 'Cosine',
    api: 'new CosineAttention({ temperature })',
    formulas: ['score(q_t, k_s) = (q_t · k_s) / (‖q_t‖ ‖k_s‖ τ)', 'α_ts = softmax_s(score(q_t, k_s))'],
    source: 'Graves, Wayne & Danihelka 2014, “Neural Turing Machines”, eq. (5)–(6), key strength β = 1/τ',
  },
  {
    id: 'local-m',
    label: 'Local-m (monotonic)',
    api: "new LocalAttention({ window: D, mode: 'local-m', scoreMode: 'general' })",
    formulas: ['p_t = t', 'a_t(s) = softmax over s ∈ [p_t − D, p_t + D] of h_tᵀ Wₐ h̄_s, 0 outside'],
    source: 'Luong, Pham & Manning 2015, §3.2',
  },
  {
    id: 'local-p',
    label: 'Local-p (predictive)',
    api: "new LocalAttention({ window: D, mode: 'local-p', scoreMode: 'general' })",
    formulas: ['p_t = S · sigmoid(v_pᵀ tanh(W_p h_t))', 'a_t(s) = align(h_t, h̄_s) · exp(−(s − p_t)² / 2σ²),   σ = D / 2'],
    source: 'Luong, Pham & Manning 2015, eq. (9)–(10)',
  },
];

/** The masks' formula, shown under every mechanism. */
export const MASK_FORMULA =
  'mask (true = may attend): padding s < S − pads · causal s ≤ t · window |t − s| ≤ r; masked keys get weight exactly 0, and softmax runs over the allowed keys only.';

export function mechanismOf(id: string): Mechanism {
  const mechanism = MECHANISMS.find((candidate) => candidate.id === id);
  if (!mechanism) throw new Error(`Unknown attention mechanism ${JSON.stringify(id)}; known: ${MECHANISMS.map((m) => m.id).join(', ')}.`);
  return mechanism;
}
