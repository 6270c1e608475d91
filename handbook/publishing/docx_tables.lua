-- Make every Word table writable as a GitHub pipe table, so no table is lost on import:
-- merged cells are split (the text stays in the first cell, the others are left empty) and a
-- cell with several paragraphs or lists becomes one line. Without this, pandoc's gfm writer
-- (with raw HTML off) replaces such a table by the text "[TABLE]".

local function flatten(cell)
  local inlines = pandoc.Inlines({})
  for index, block in ipairs(cell.contents) do
    if index > 1 then
      inlines:insert(pandoc.Str(";"))
      inlines:insert(pandoc.Space())
    end
    inlines:extend(pandoc.utils.blocks_to_inlines({ block }, { pandoc.Space() }))
  end
  cell.contents = pandoc.Blocks({ pandoc.Plain(inlines) })
  return cell
end

local function empty_cell()
  return pandoc.Cell(pandoc.Blocks({}))
end

local function simplify_rows(rows, width)
  local pending = {} -- column -> rows still covered by a row span from above
  for _, row in ipairs(rows) do
    local cells, source, column, next_source = {}, row.cells, 1, 1
    while next_source <= #source or (pending[column] or 0) > 0 do
      if (pending[column] or 0) > 0 then
        table.insert(cells, empty_cell())
        pending[column] = pending[column] - 1
        column = column + 1
      else
        local cell = source[next_source]
        next_source = next_source + 1
        local row_span, col_span = cell.row_span, cell.col_span
        cell.row_span, cell.col_span = 1, 1
        table.insert(cells, flatten(cell))
        for offset = 0, col_span - 1 do
          if row_span > 1 then
            pending[column + offset] = row_span - 1
          end
          if offset > 0 then
            table.insert(cells, empty_cell())
          end
        end
        column = column + col_span
      end
    end
    while #cells < width do
      table.insert(cells, empty_cell())
    end
    row.cells = cells
  end
end

function Table(tbl)
  local width = #tbl.colspecs
  simplify_rows(tbl.head.rows, width)
  for _, body in ipairs(tbl.bodies) do
    simplify_rows(body.head, width)
    simplify_rows(body.body, width)
  end
  simplify_rows(tbl.foot.rows, width)
  return tbl
end
