import sys,re
def find_literals(line):
    # yields (start, end, quote) for string literals on the line (single-quote and backtick without nested backticks)
    i=0; out=[]
    while i < len(line):
        c=line[i]
        if c in "'`\"":
            q=c; j=i+1; depth=0
            while j < len(line):
                if line[j]=='\\': j+=2; continue
                if q=='`' and line[j:j+2]=='${': depth+=1; j+=2; continue
                if q=='`' and depth and line[j]=='}': depth-=1; j+=1; continue
                if line[j]==q and depth==0: break
                j+=1
            if j>=len(line): return out
            out.append((i,j,q)); i=j+1; continue
        if line[i:i+2]=='//': break
        i+=1
    return out
def split_line(line, limit=100):
    if len(line)<=limit: return None
    indent=len(line)-len(line.lstrip())
    lits=[l for l in find_literals(line) if l[1]-l[0]>30 and l[0] < limit-10]
    if not lits: return None
    # choose literal crossing the limit, else the longest
    cross=[l for l in lits if l[0]<limit<=l[1]] or sorted(lits,key=lambda l:l[1]-l[0])[-1:]
    s,e,q=cross[0]
    body=line[s+1:e]
    # find split pos: space in body such that s+1+pos <= limit-4, outside ${}
    best=None; depth=0
    k=0
    while k < len(body):
        if q=='`' and body[k:k+2]=='${': depth+=1; k+=2; continue
        if q=='`' and depth and body[k]=='}': depth-=1; k+=1; continue
        if body[k]=='\\': k+=2; continue
        if body[k]==' ' and depth==0 and s+1+k+1 <= limit-4 and k>10: best=k
        k+=1
    if best is None: return None
    first=line[:s]+q+body[:best+1]+q+' +'
    second=' '*(indent+2)+q+body[best+1:]+q+line[e+1:]
    return [first, second]
for path in sys.argv[1:]:
    lines=open(path).read().split('\n')
    changed=True; n=0
    while changed and n<50:
        changed=False; n+=1; out=[]
        for ln in lines:
            r=split_line(ln)
            if r: out.extend(r); changed=True
            else: out.append(ln)
        lines=out
    open(path,'w').write('\n'.join(lines))
