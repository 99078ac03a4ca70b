-- Drives `deploylint lsp` from headless Neovim (0.7+): attach to a Dockerfile
-- and a YAML buffer, wait for diagnostics, apply the preferred quick fix in
-- the Dockerfile, and write what was seen to $DEPLOYLINT_OUT for tests/neovim.rs.
local bin = os.getenv("DEPLOYLINT_BIN")
local root = os.getenv("DEPLOYLINT_ROOT")
local out = os.getenv("DEPLOYLINT_OUT")
local lines = {}
local function log(s) table.insert(lines, s) end
local function finish()
  vim.fn.writefile(lines, out)
  vim.cmd("qa!")
end

local client_id = vim.lsp.start_client({
  name = "deploylint",
  cmd = { bin, "lsp" },
  root_dir = root,
})
if not client_id then
  log("error: client did not start")
  finish()
end

local function open(name)
  vim.cmd("edit " .. root .. "/" .. name)
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  return buf
end

local function code_of(d)
  if d.code then return d.code end
  if d.user_data and d.user_data.lsp then return d.user_data.lsp.code end
  return "?"
end

local ybuf = open("pod.yaml")
local dbuf = open("Dockerfile")
local ok = vim.wait(20000, function()
  return #vim.diagnostic.get(ybuf) > 0 and #vim.diagnostic.get(dbuf) > 0
end, 50)
if not ok then
  log("error: no diagnostics")
  finish()
end
for _, d in ipairs(vim.diagnostic.get(ybuf)) do
  log("yaml " .. code_of(d) .. " " .. d.lnum .. ":" .. d.col)
end
local target
for _, d in ipairs(vim.diagnostic.get(dbuf)) do
  log("dockerfile " .. code_of(d) .. " " .. d.lnum .. ":" .. d.col)
  if code_of(d) == "DF014" then target = d end
end

if target then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(dbuf) },
    range = {
      start = { line = target.lnum, character = target.col },
      ["end"] = { line = target.end_lnum or target.lnum, character = target.end_col or target.col },
    },
    context = { diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(dbuf, "textDocument/codeAction", params, 10000) or {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      log("action " .. action.title)
      if action.isPreferred and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        log("applied " .. action.title)
      end
    end
  end
end
for _, l in ipairs(vim.api.nvim_buf_get_lines(dbuf, 0, -1, false)) do
  log("buffer " .. l)
end
finish()
