import sys,textwrap,re
for path in sys.argv[1:]:
    lines=open(path).read().split('\n'); out=[]
    for ln in lines:
        if len(ln)<=100: out.append(ln); continue
        ind=ln[:len(ln)-len(ln.lstrip())]; st=ln.strip()
        m=re.match(r'^/\*\* (.*) \*/$',st)
        if m:
            out.append(ind+'/**')
            out+= [ind+' * '+w for w in textwrap.wrap(m.group(1), 100-len(ind)-3)]
            out.append(ind+' */'); continue
        if st.startswith('// '):
            out+= [ind+'// '+w for w in textwrap.wrap(st[3:], 100-len(ind)-3)]; continue
        if st.startswith('* '):
            out+= [ind+'* '+w for w in textwrap.wrap(st[2:], 100-len(ind)-2)]; continue
        out.append(ln)
    open(path,'w').write('\n'.join(out))
